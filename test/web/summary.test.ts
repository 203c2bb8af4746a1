import { describe, expect, it } from 'vitest';
import { harness } from './support.ts';

describe('GET /summary', () => {
  it('is one page for a physiotherapist: load, pain by knee, red flags, stride, advice and sources', async () => {
    const { app, store } = await harness({ demo: true });
    const [run] = store.runs.list({ limit: 1 });
    store.checks.add({
      runId: run?.id ?? null,
      checkedAt: '2026-11-24T19:00:00Z',
      pain: 5,
      where: ['front', 'outside'],
      swelling: true,
      locking: false,
      givingWay: false,
      sharp: false,
      changedGait: false,
      cannotBearWeight: false,
      hotRedFever: false,
      knee: 'left',
      via: 'web',
      note: 'after <b>stairs</b>',
    });
    const res = await app.request('/summary');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<link rel="stylesheet" href="/assets/summary.css">');
    for (const id of ['sum-advice', 'sum-load', 'sum-pain', 'sum-flags', 'sum-sources']) {
      expect(html).toContain(`<section id="${id}">`);
    }
    // Twelve weeks, the current one marked "so far" without a change figure.
    expect(html.match(/<tr(?: class="so-far")?><td>\d+ \w{3}( \(so far\))?<\/td>/g)).toHaveLength(
      12,
    );
    expect(html).toMatch(
      /<tr class="so-far"><td>23 Nov \(so far\)<\/td><td>\d+<\/td><td>[^<]+<\/td><td>–<\/td>/,
    );
    // The demo's jump week is a spike, and the step rate is compared at matched speed.
    expect(html).toMatch(/<td class="flag">×\d\.\d\d<\/td>/);
    expect(html).toMatch(/\d+ spm, [+-]?\d+ % vs own line/);
    // Pain by knee and place; the red flag; the note escaped.
    expect(html).toMatch(
      /<tr><td>left<\/td><td>1× \(max 5\/10\)<\/td><td>–<\/td><td>1× \(max 5\/10\)<\/td>/,
    );
    expect(html).toContain('left knee, <strong class="flag">swelling</strong>');
    expect(html).toContain('after &lt;b&gt;stairs&lt;/b&gt;');
    expect(html).not.toContain('<b>stairs');
    // The advice is see-doctor, with the source of its reason in full.
    expect(html).toContain('<span class="muted">(kneecheck\'s level: See a clinician)</span>');
    expect(html).toMatch(/<li><strong>Jones 2026 \(runner guide\)<\/strong>: Jones, L\. F\./);
  });

  it('is linked from the dashboard and its stylesheet prints', async () => {
    const { app } = await harness({ demo: true });
    expect(await (await app.request('/')).text()).toContain('href="/summary"');
    const css = await app.request('/assets/summary.css');
    expect(css.headers.get('Content-Type')).toMatch(/^text\/css/);
    expect(await css.text()).toContain('@media print');
  });

  it('says so when there is nothing to summarise', async () => {
    const { app } = await harness();
    const html = await (await app.request('/summary')).text();
    expect(html).toContain('No pain reported in these weeks.');
    expect(html).toContain('Clinician visits recorded (“a clinician has seen my knee”): none.');
  });
});

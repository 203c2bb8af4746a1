import { describe, expect, it } from 'vitest';
import { SOURCES } from '../../src/advice/sources.ts';
import type { Advice } from '../../src/model.ts';
import { escapeHtml } from '../../src/web/html.ts';
import { withDbFile } from '../support/sqlite.ts';
import { formOf, harness, formRequest as form } from './support.ts';

describe('the dashboard', () => {
  it('explains how to add runs when there is no data', async () => {
    const { app, config } = await harness();
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    const text = await res.text();
    expect(text).toContain('No runs yet');
    expect(text).toContain(escapeHtml(config.inbox));
    expect(text).toContain('kneecheck import');
    expect(text).toContain('kneecheck strava connect');
    expect(text).toContain('kneecheck demo');
    expect(text).toContain('Guidance, not a diagnosis');
    // Nothing to judge: no green "OK" badge.
    expect(text).not.toMatch(/class="badge level-ok"/);
    expect(text).toMatch(
      /class="badge level-none"[^>]*data-state="no-recent-runs">No recent runs</,
    );
    expect(text).not.toContain('uplot.js');
  });

  it('says there are no recent runs, and shows no green badge, when the last run is months old', async () => {
    const { app, store, config } = await harness({ demo: true });
    // Only runs from before the last 4 weeks stay.
    const cutoff = Date.parse('2026-10-20T00:00:00Z');
    withDbFile(config.dataDir, (db) => {
      for (const r of store.runs.list()) {
        if (Date.parse(r.startTime) >= cutoff)
          db.prepare('DELETE FROM runs WHERE id = ?').run(r.id);
      }
    });
    for (const c of store.checks.list()) store.checks.delete(c.id, '2026-11-25T10:00:00Z');
    const advice = (await (await app.request('/api/advice')).json()) as { level: string };
    expect(advice.level).toBe('ok');
    const text = await (await app.request('/')).text();
    expect(text).toContain('No runs in the last 4 weeks');
    expect(text).toContain('Your latest run that counts was on');
    expect(text).toContain('kneecheck import');
    expect(text).not.toMatch(/class="badge level-ok"/);
    expect(text).toContain('data-state="no-recent-runs">No recent runs<');
  });

  it('marks the current week "so far" with no ramp, and shows distances to one decimal', async () => {
    const { app } = await harness({ demo: true });
    const text = await (await app.request('/')).text();
    // NOW is Wednesday 25 Nov: the week of Monday 23 Nov is not over.
    const current = /<g class="week[^"]* current">[\s\S]*?<\/g>/.exec(text)?.[0] ?? '';
    expect(current).toContain('Week of 2026-11-23 (so far)');
    expect(current).toMatch(/class="ramp so-far"[^>]*>so far</);
    expect(current).not.toMatch(/ramp [+-]?\d/);
    const row = /<tr><td><time datetime="2026-11-23"[\s\S]*?<\/tr>/.exec(text)?.[0] ?? '';
    expect(row).toContain('so far');
    expect(row).toMatch(/<td>\d+\.\d km<\/td><td>–<\/td>/);
    expect(text).toMatch(/<span class="dist">\d+\.\d km<\/span>/);
    expect(text).not.toMatch(/<span class="dist">\d+\.\d\d km/);
  });

  it('shows the advice with every reason, the load, the stride, the checks and the runs', async () => {
    const { app, store } = await harness({ demo: true });
    const advice = (await (await app.request('/api/advice')).json()) as Advice;
    const text = await (await app.request('/')).text();
    expect(text).toContain(`class="badge level-${advice.level}"`);
    expect(text).toContain(escapeHtml(advice.headline));
    for (const s of advice.suggestions) {
      // Commands in the words (`kneecheck cleared`) are shown as code.
      expect(text).toContain(escapeHtml(s.message).replace(/`([^`]*)`/g, '<code>$1</code>'));
      for (const b of s.because) {
        // The reason in words, its id kept for tools, and a link to its source's entry.
        expect(text).toContain(`data-signal="${escapeHtml(b.signal)}"`);
        expect(text).toContain(`<span class="label">${escapeHtml(b.label)}</span>`);
        expect(text).toContain(`href="/sources#${escapeHtml(b.source)}"`);
      }
    }
    // Twelve weekly bars with the ramp, the jump week marked as a spike.
    expect(text.match(/<g class="week/g)).toHaveLength(12);
    expect(text).toMatch(/<g class="week spike">/);
    expect(text).toMatch(/class="ramp steep"[^>]*>\+\d+%/);
    expect(text).toContain('Context only.');
    expect(text).toMatch(/<rect class="band"/);
    // Stride: chart containers, their data, and the table that works without JS.
    expect(text).toContain('data-chart="step-rate"');
    expect(text).toContain('data-chart="step-length"');
    const data = JSON.parse(
      /<script type="application\/json" id="stride-data">(.*?)<\/script>/s.exec(text)?.[1] ?? '',
    ) as { t: number[]; stepRate: number[]; expected: number[] };
    expect(data.t.length).toBeGreaterThan(20);
    expect(data.stepRate).toHaveLength(data.t.length);
    expect(text).toMatch(/<details class="table-wrap" open data-fallback>/);
    expect(text).toContain('dull ache around the kneecap after the long run');
    expect(text).toContain('pain 2/10');
    // Recent runs link to run pages that exist.
    const links = [...text.matchAll(/href="(\/runs\/[^"?]+)"/g)].map((m) => m[1] ?? '');
    expect(links.length).toBeGreaterThanOrEqual(10);
    for (const link of new Set(links)) expect((await app.request(link)).status, link).toBe(200);
    expect(store.runs.list({}).length).toBe(33);
    expect(text).toContain('/assets/uplot.js');
    expect(text).toMatch(/ km</);
  });

  it('follows the configured units', async () => {
    const { app } = await harness({ demo: true, settings: { KNEECHECK_UNITS: 'imperial' } });
    const text = await (await app.request('/')).text();
    expect(text).toMatch(/\d+\.\d\d mi/);
    expect(text).toMatch(/ \/mi</);
    expect(text).not.toMatch(/\d km|\/km/);
  });

  it('escapes everything a runner typed', async () => {
    const { app } = await harness({ demo: true });
    await app.request('/api/checks', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ pain: 1, where: ['back'], note: '<script>alert(1)</script>' }),
    });
    const text = await (await app.request('/')).text();
    expect(text).not.toContain('<script>alert(1)');
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('the run page', () => {
  it('shows the run and a knee-check form that works without JavaScript', async () => {
    const { app, store } = await harness({ demo: true });
    const [run] = store.runs.list({ limit: 1 });
    const res = await app.request(`/runs/${encodeURIComponent(run?.id ?? '')}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/Run of \d{4}-\d\d-\d\d \d\d:\d\d/);
    expect(text.match(/type="radio" name="pain"/g)).toHaveLength(11);
    for (const side of ['left', 'right']) {
      for (const where of ['front', 'inside', 'outside', 'back']) {
        expect(text).toContain(`name="where" value="${side}:${where}"`);
      }
    }
    for (const flag of ['swelling', 'locking', 'givingWay', 'sharp', 'changedGait']) {
      expect(text).toContain(`name="${flag}"`);
    }
    expect(text).toContain('<textarea name="note"');
    expect(text).toContain('<svg class="knee"');
    expect(text).toContain('dull ache around the kneecap');
    expect(formOf(text).action).toBe(`/runs/${encodeURIComponent(run?.id ?? '')}/check`);
  });

  it('saves a check, redirects back and shows the new advice (POST-redirect-GET)', async () => {
    const { app, store } = await harness({ demo: true });
    const [run] = store.runs.list({ limit: 1 });
    const url = `/runs/${encodeURIComponent(run?.id ?? '')}`;
    const { csrf, action } = formOf(await (await app.request(url)).text());
    const res = await app.request(
      action,
      form([
        ['csrf', csrf],
        ['pain', '6'],
        ['where', 'front'],
        ['where', 'inside'],
        ['swelling', 'on'],
        ['note', 'after the long run'],
      ]),
    );
    expect(res.status).toBe(303);
    const location = res.headers.get('Location') ?? '';
    expect(location).toMatch(
      new RegExp(`^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\?saved=\\d+#advice$`),
    );
    const [check] = store.checks.list(Number.MAX_SAFE_INTEGER).slice(-1);
    expect(check).toMatchObject({
      runId: run?.id,
      pain: 6,
      where: ['front', 'inside'],
      swelling: true,
      locking: false,
      note: 'after the long run',
    });
    const after = await (await app.request(location)).text();
    expect(after).toContain('Saved your knee check (pain 6/10)');
    expect(after).toContain('class="badge level-see-doctor"');
  });

  it('comes back with the answers kept and the field named when something is missing', async () => {
    const { app, store } = await harness({ demo: true });
    const [run] = store.runs.list({ limit: 1 });
    const { csrf, action } = formOf(
      await (await app.request(`/runs/${encodeURIComponent(run?.id ?? '')}`)).text(),
    );
    const res = await app.request(
      action,
      form([
        ['csrf', csrf],
        ['pain', '4'],
        ['locking', 'on'],
      ]),
    );
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toMatch(/<p class="error" role="alert">where: is required when pain is above 0/);
    expect(text).toMatch(/name="pain" value="4" required checked/);
    expect(text).toMatch(/name="locking" value="on" checked/);
  });

  it('answers 404 for an unknown run', async () => {
    const { app } = await harness();
    const res = await app.request('/runs/fit:nope');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('No such run');
  });
});

describe('assets', () => {
  it('serves the app CSS and JS and uPlot from the package, and nothing else', async () => {
    const { app } = await harness();
    for (const [name, type] of [
      ['app.css', 'text/css'],
      ['app.js', 'text/javascript'],
      ['uplot.js', 'text/javascript'],
      ['uplot.css', 'text/css'],
    ] as const) {
      const res = await app.request(`/assets/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('Content-Type'), name).toContain(type);
      expect((await res.text()).length, name).toBeGreaterThan(500);
    }
    expect((await app.request('/assets/..%2Fpackage.json')).status).toBe(404);
    expect((await app.request('/assets/uPlot.cjs.js')).status).toBe(404);
  });
});

describe('standing red flags and sources on the web', () => {
  it('offers "A clinician has seen my knee" while a red flag stands, and ends it when pressed', async () => {
    const { app, store } = await harness({ demo: true });
    const [latest] = store.runs.list({ limit: 1 });
    const flagged = await app.request('/api/checks', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ runId: latest?.id, pain: 2, where: ['front'], swelling: true }),
    });
    expect(flagged.status).toBe(201);
    const before = await (await app.request('/')).text();
    expect(before).toContain('data-level="see-doctor"');
    // Issue 23: the web says what to press, never a command.
    expect(before).not.toContain('kneecheck cleared');
    expect(before).toContain('>A clinician has seen my knee</button>');
    const csrf = /name="csrf" value="([^"]+)"/.exec(
      before.slice(before.indexOf('action="/cleared"')),
    )?.[1];
    expect(csrf).toBeTruthy();
    // A forged post (no token) changes nothing.
    const forged = await app.request('/cleared', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'note=x',
    });
    expect(forged.status).toBe(403);
    expect(await (await app.request('/')).text()).toContain('data-level="see-doctor"');
    const res = await app.request('/cleared', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: csrf ?? '', note: 'physio: fine' }).toString(),
    });
    expect(res.status).toBe(303);
    const after = await (await app.request('/')).text();
    expect(after).not.toContain('data-level="see-doctor"');
    expect(store.checks.clearances()).toHaveLength(1);
  });

  it('lists every source with its full citation at /sources, each with an anchor', async () => {
    const { app } = await harness({ demo: true });
    const res = await app.request('/sources');
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const s of SOURCES) {
      expect(html).toContain(`id="${s.key}"`);
      expect(html).toContain(escapeHtml(s.citation));
    }
  });
});

describe('a knee check without a run, from the browser', () => {
  it('records how the knee feels now from /check, even before any run, and the advice follows', async () => {
    const { app, store } = await harness();
    const dash = await (await app.request('/')).text();
    expect(dash).toContain('href="/check"');
    const form = await (await app.request('/check')).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
    const res = await app.request('/check', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, pain: '2', where: 'front', givingWay: 'on' }).toString(),
    });
    expect(res.status).toBe(303);
    const [check] = store.checks.list();
    expect(check).toMatchObject({ runId: null, pain: 2, givingWay: true });
    expect(await (await app.request('/')).text()).toContain('data-level="see-doctor"');
  });
});

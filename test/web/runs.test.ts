import { describe, expect, it } from 'vitest';
import type { RunId } from '../../src/model.ts';
import { RUNS_PER_PAGE } from '../../src/web/pages/runs.ts';
import { storeManyRuns } from './many-runs.ts';
import { NOW, harness } from './support.ts';

/** The run ids linked from a page, in order. */
const linkedRuns = (html: string): string[] =>
  [...html.matchAll(/<li class="run-item[^"]*">\s*<a href="\/runs\/([^"]+)"/g)].map((m) =>
    decodeURIComponent(m[1] ?? ''),
  );

describe('GET /runs', () => {
  it('reaches every run, newest first, page by page through the "Older" links', async () => {
    const { app, store } = await harness();
    const runs = storeManyRuns(store, 60, NOW);
    const seen: string[] = [];
    let href: string | undefined = '/runs';
    let pages = 0;
    while (href) {
      const res = await app.request(href);
      expect(res.status).toBe(200);
      const html = await res.text();
      const ids = linkedRuns(html);
      expect(ids.length).toBeLessThanOrEqual(RUNS_PER_PAGE);
      seen.push(...ids);
      pages++;
      href = /<a class="button" rel="next" href="([^"]+)"/
        .exec(html)?.[1]
        ?.replaceAll('&amp;', '&');
    }
    expect(pages).toBe(Math.ceil(60 / RUNS_PER_PAGE));
    expect(seen).toEqual(runs.map((r) => r.id));
  });

  it('filters by month in the runner’s zone and says how many runs each month holds', async () => {
    const { app, store } = await harness();
    storeManyRuns(store, 60, NOW);
    const html = await (await app.request('/runs?month=2026-10')).text();
    expect(html).toContain('<h1>Runs in October 2026</h1>');
    const ids = linkedRuns(html);
    const inOctober = store.runs
      .list()
      .filter((r) => r.startTime.startsWith('2026-10'))
      .map((r) => r.id);
    expect(ids).toEqual(inOctober);
    expect(html).toMatch(/<option value="2026-10" selected>October 2026 \(\d+\)<\/option>/);
    const empty = await (await app.request('/runs?month=2020-01')).text();
    expect(empty).toContain('No runs in January 2020');
  });

  it('marks an excluded run and names each run’s type', async () => {
    const { app, store } = await harness();
    const [latest] = storeManyRuns(store, 3, NOW);
    store.runs.setExcluded(
      latest?.id as RunId,
      { reason: 'heart-rate strap file', by: 'user' },
      NOW,
    );
    const html = await (await app.request('/runs')).text();
    expect(html).toMatch(
      /<li class="run-item excluded">[\s\S]*?<span class="tag excluded" title="left out of every figure by you: heart-rate strap file">excluded<\/span>/,
    );
    expect(html).toContain('<span class="tag type">treadmill</span>');
    expect(html).toContain('<span class="tag type">trail</span>');
  });

  it('refuses a page or month it cannot read, naming the parameter and the form expected', async () => {
    const { app } = await harness();
    for (const [q, words] of [
      ['page=0', 'page: expected a whole number of pages from 1 to 10000, got &quot;0&quot;'],
      ['page=1e9', 'page: expected a whole number of pages from 1 to 10000'],
      ['page=-1', 'page: expected a whole number of pages'],
      ['month=2026-13', 'month: expected a month such as 2026-11, got &quot;2026-13&quot;'],
      ['month=%3Cscript%3E', 'got &quot;&lt;script&gt;&quot;'],
    ] as const) {
      const res = await app.request(`/runs?${q}`);
      expect(res.status, q).toBe(400);
      expect(await res.text(), q).toContain(words);
    }
  });

  it('answers 404 with a link to the last page for a page past the end', async () => {
    const { app, store } = await harness();
    storeManyRuns(store, 30, NOW);
    const res = await app.request('/runs?page=9');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('30 runs make 2 pages');
  });

  it('is linked from the dashboard, and with no runs points to how to add them', async () => {
    const empty = await harness();
    expect(await (await empty.app.request('/runs')).text()).toContain('No runs yet');
    const { app } = await harness({ demo: true });
    expect(await (await app.request('/')).text()).toMatch(
      /<a class="button" href="\/runs">All \d+ runs/,
    );
  });
});

describe('the run page’s origin', () => {
  it('names the type, where the numbers came from in words, and whether the run counts', async () => {
    const { app, store } = await harness({ demo: true });
    const [run] = store.runs.list({ limit: 1 });
    const url = `/runs/${encodeURIComponent(run?.id ?? '')}`;
    let html = await (await app.request(url)).text();
    expect(html).toContain('<dt>Numbers from</dt><dd>your watch&#39;s file</dd>');
    expect(html).toMatch(/<dt>Type<\/dt><dd>[^<]+<\/dd>/);
    expect(html).toContain('<dt>Counts in your figures</dt><dd>yes</dd>');
    store.runs.setExcluded(run?.id as RunId, { reason: 'clock never set', by: 'kneecheck' }, NOW);
    html = await (await app.request(url)).text();
    expect(html).toContain(
      '<dt>Counts in your figures</dt><dd>no: left out of every figure by kneecheck: clock never set</dd>',
    );
  });
});

describe('the run page’s series', () => {
  it('draws pace, step rate and heart rate over a run imported from its watch file, with a table', async () => {
    const { app, store } = await harness({ demo: true });
    const [run] = store.runs.list({ limit: 1 });
    const html = await (await app.request(`/runs/${encodeURIComponent(run?.id ?? '')}`)).text();
    for (const name of ['pace', 'step-rate', 'heart-rate']) {
      expect(html).toContain(`data-series-chart="${name}"`);
    }
    expect(html).toMatch(/<script src="\/assets\/uplot\.js\?v=[0-9a-f]{16}" defer><\/script>/);
    const data = JSON.parse(
      /<script type="application\/json" id="series-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '',
    ) as { t: number[]; pace: (number | null)[]; stepRate: (number | null)[] };
    const seconds = run?.elapsedTimeS ?? 0;
    expect(data.t.length).toBeGreaterThanOrEqual(Math.floor(seconds / 10));
    expect(data.t[1]).toBe(10);
    // The demo runs at about 6:30 /km and 160 steps/min.
    const mid = Math.floor(data.t.length / 2);
    expect(data.pace[mid]).toBeGreaterThan(5 * 60);
    expect(data.pace[mid]).toBeLessThan(8 * 60);
    expect(data.stepRate[mid]).toBeGreaterThan(140);
    expect(html).toMatch(/<details class="table-wrap" open data-series-fallback>/);
    expect(html).toMatch(
      /<tr><td>1:00<\/td><td>\d:\d\d \/km<\/td><td>\d+ spm<\/td><td>\d+ bpm<\/td><\/tr>/,
    );
  });

  it('says "no samples stored" for a run kept without them', async () => {
    const { app, store } = await harness();
    const [run] = storeManyRuns(store, 1, NOW);
    const html = await (await app.request(`/runs/${encodeURIComponent(run?.id ?? '')}`)).text();
    expect(html).toContain('No samples stored for this run');
    expect(html).not.toContain('uplot.js');
  });
});

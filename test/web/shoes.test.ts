import { describe, expect, it } from 'vitest';
import type { Advice } from '../../src/model.ts';
import { storeManyRuns } from './many-runs.ts';
import { NOW, harness } from './support.ts';

const post = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('shoes on the web', () => {
  it('adds a pair from /shoes, gives it to new runs, and shows km per pair on the dashboard', async () => {
    const { app, store } = await harness();
    const csrf = csrfOf(await (await app.request('/shoes')).text());
    const res = await app.request(
      '/shoes',
      post({ csrf, name: 'blue Pegasus', since: '2026-01-01', default: 'on' }),
    );
    expect(res.status).toBe(303);
    storeManyRuns(store, 10, NOW); // 10 runs of 4.0–5.5 km
    const km = store.runs.list().reduce((a, r) => a + (r.distanceM ?? 0), 0) / 1000;
    const page = await (await app.request('/shoes')).text();
    expect(page).toContain(
      `<span class="name">blue Pegasus</span> <strong>${km.toFixed(1)} km</strong>`,
    );
    expect(page).toContain('10 runs since 2026-01-01; new runs get it');
    expect(page).toContain('the evidence for any particular mileage is weak');
    const dash = await (await app.request('/')).text();
    expect(dash).toMatch(
      /<section class="card" id="shoes">[\s\S]*blue Pegasus<\/span> <strong>[\d.]+ km/,
    );
  });

  it('gives a pair added after the history to the runs without one since its first day', async () => {
    const { store } = await harness();
    storeManyRuns(store, 10, NOW, 7); // one a week back from 25 Nov
    const pair = store.shoes.add(
      { name: 'late pair', startedOn: '2026-11-01', isDefault: true },
      NOW,
    );
    expect(store.shoes.get(pair.id)?.runs).toBe(4); // 4, 11, 18 and 25 Nov
  });

  it('changes the pair of one run from its page, and refuses a form without its token', async () => {
    const { app, store } = await harness();
    store.shoes.add({ name: 'old pair', startedOn: '2025-01-01', isDefault: true }, NOW);
    const trail = store.shoes.add({ name: 'trail pair', startedOn: '2026-01-01' }, NOW);
    const [run] = storeManyRuns(store, 2, NOW);
    const url = `/runs/${encodeURIComponent(run?.id ?? '')}`;
    const html = await (await app.request(url)).text();
    expect(html).toMatch(/<option value="\d+" selected>old pair<\/option>/);
    const refused = await app.request(
      `${url}/shoe`,
      post({ csrf: 'nope', shoe: String(trail.id) }),
    );
    expect(refused.status).toBe(403);
    const res = await app.request(
      `${url}/shoe`,
      post({ csrf: csrfOf(html), shoe: String(trail.id) }),
    );
    expect(res.status).toBe(303);
    expect(store.shoes.ofRun(run?.id ?? ('' as never))).toMatchObject({
      shoe: { name: 'trail pair' },
      by: 'user',
    });
    const bad = await app.request(`${url}/shoe`, post({ csrf: csrfOf(html), shoe: '1e9' }));
    expect(bad.status).toBe(400);
  });

  it('gives a replace-shoes tip from the replace-at distance, labelled as kneecheck’s own cut-off', async () => {
    const { app, store } = await harness();
    store.shoes.add({ name: 'worn pair', startedOn: '2025-01-01', isDefault: true }, NOW);
    storeManyRuns(store, 20, NOW); // about 95 km
    let advice = (await (await app.request('/api/advice')).json()) as Advice;
    expect(advice.suggestions.map((s) => s.code)).not.toContain('replace-shoes');
    store.shoes.setReplaceAtKm(90, NOW);
    advice = (await (await app.request('/api/advice')).json()) as Advice;
    const tip = advice.suggestions.find((s) => s.code === 'replace-shoes');
    expect(tip?.message).toContain('Your shoes “worn pair” have carried you');
    expect(tip?.message).toContain("kneecheck's own rule of thumb");
    expect(tip?.because).toEqual([
      {
        signal: 'shoe-km',
        label: 'distance in “worn pair” (km)',
        value: expect.any(Number),
        threshold: 90,
        source: 'kneecheck',
      },
    ]);
    expect(advice.level).not.toBe('see-doctor');
    const dash = await (await app.request('/')).text();
    expect(dash).toContain('<span class="tag worn">past 90 km</span>');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { syncIntervals } from '../../src/intervals/sync.ts';
import { FakeIntervals, runsOf } from '../support/fake-intervals.ts';
import { connect, makeDeps } from './helpers.ts';

let fake: FakeIntervals | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

describe('intervals.icu sync', () => {
  it('imports every running activity of a year once, within one call per activity plus one per 100 listed', async () => {
    fake = await FakeIntervals.year(365);
    const deps = makeDeps(fake);
    await connect(deps, fake);
    const t0 = Date.now();
    const r = await syncIntervals(deps);
    console.log('sync ms', Date.now() - t0, JSON.stringify({ ...r, skipped: r.skipped.length }));
    const specs = [...fake.activities.values()];
    const runs = runsOf(specs);
    expect(r.imported).toBe(runs.length);
    expect(r.apiCalls).toBeLessThanOrEqual(specs.length + Math.ceil(specs.length / 100));
  });
});

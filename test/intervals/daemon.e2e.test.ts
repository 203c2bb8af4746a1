import { afterEach, describe, expect, it } from 'vitest';
import { syncIntervals } from '../../src/intervals/sync.ts';
import { startDaemon, stopDaemons, until } from '../support/daemon.ts';
import { FakeIntervals, type FakeActivitySpec } from '../support/fake-intervals.ts';
import { startHttpReceiver, type HttpReceiver } from '../support/receivers.ts';
import { connect, makeDeps } from './helpers.ts';

let fake: FakeIntervals | null = null;
const receivers: HttpReceiver[] = [];
afterEach(async () => {
  stopDaemons();
  await fake?.close();
  fake = null;
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe('intervals.icu reaching the daemon', () => {
  it('connect → sync → a new activity upstream → the next scheduled sync → the knee-check prompt', async () => {
    fake = await FakeIntervals.year(30, 50);
    const hook = await startHttpReceiver();
    receivers.push(hook);
    const deps = makeDeps(fake);
    await connect(deps, fake);
    const first = await syncIntervals(deps);
    expect(first.complete).toBe(true);
    deps.store.close();

    // Every second: each tick is a scheduled sync; the first comes within a second.
    const daemon = await startDaemon({
      KNEECHECK_DATA_DIR: deps.dataDir,
      ...fake.env(),
      INTERVALS_SYNC_CRON: '* * * * * *',
      NOTIFY_WEBHOOK_URL: `${hook.url}/hook`,
    });
    const syncs = () => daemon.stderr().split('intervals.icu sync').length - 1;
    // The sync at start, then a scheduled one: nothing new, and no prompt.
    await until(() => syncs() >= 2, 'two syncs of the daemon', 15_000);
    expect(hook.requests).toHaveLength(0);

    const run: FakeActivitySpec = {
      id: 'i99000001',
      start: new Date(Date.now() - 90 * 60_000),
      offsetMin: 60,
      type: 'Run',
      distanceM: 6200,
      speedMps: 2.9,
      stepRateSpm: 168,
      source: 'GARMIN_CONNECT',
      file: 'fit-gz',
    };
    fake.activities.set(run.id, run);
    const [req] = await hook.waitFor(1, 20_000);
    const payload = JSON.parse(req?.body ?? '{}') as {
      type: string;
      runId: string;
      run: { distanceM: number; sources: { source: string }[] };
    };
    expect(payload.type).toBe('knee-check');
    expect(payload.runId).toBe('intervals:i99000001');
    expect(Math.abs(payload.run.distanceM - 6200)).toBeLessThan(62);
    expect(fake.calls('file').map((q) => q.path)).toContain('/api/v1/activity/i99000001/file');
    expect(daemon.stderr()).not.toContain(fake.apiKey);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { readSyncState, syncStrava } from '../../src/strava/sync.ts';
import { readTokens } from '../../src/strava/tokens.ts';
import { FakeStrava, type Json } from '../support/fake-strava.ts';
import { captureLogger, connect, makeDeps } from './helpers.ts';

const RUN_TYPES = ['Run', 'TrailRun', 'VirtualRun'];
const DAY_MS = 86_400_000;

let fake: FakeStrava | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const runsOf = (f: FakeStrava): Json[] =>
  [...f.activities.values()].filter((a) => RUN_TYPES.includes(a.sport_type as string));

async function connected(activities: number, extra: Parameters<typeof makeDeps>[1] = {}) {
  fake = await FakeStrava.start({ activities });
  const deps = makeDeps(fake, extra);
  expect((await connect(deps)).ok).toBe(true);
  return { fake, deps };
}

describe('strava sync', () => {
  it('costs one list request per 200 activities plus one streams request per recent run', async () => {
    const { fake, deps } = await connected(1000);
    const result = await syncStrava(deps);
    const windowStart = Date.now() - 42 * DAY_MS;
    const recentWithStreams = runsOf(fake).filter(
      (a) => Date.parse(a.start_date as string) >= windowStart && a.manual === false,
    );
    const lists = fake.log.filter((r) => r.path === '/api/v3/athlete/activities');
    const streams = fake.log.filter((r) => r.path.endsWith('/streams'));
    // Five full pages, and the empty sixth that says the list is done.
    expect(lists).toHaveLength(Math.floor(1000 / 200) + 1);
    expect(lists.every((r) => r.query.per_page === '200' && r.query.after === '0')).toBe(true);
    expect(streams).toHaveLength(recentWithStreams.length);
    // And one GET /athlete, for the names of the shoes the runs name (gear_id).
    const athlete = fake.log.filter((r) => r.path === '/api/v3/athlete');
    expect(athlete).toHaveLength(1);
    expect(result.apiCalls).toBe(lists.length + streams.length + athlete.length);
    // The target: ≤ 1 request per 100 runs of older history.
    const oldRuns = runsOf(fake).length - recentWithStreams.length;
    expect(lists.length / oldRuns).toBeLessThanOrEqual(1 / 100);
    // The streams asked for, keyed by type.
    expect(streams[0]?.query).toMatchObject({
      keys: 'time,distance,velocity_smooth,cadence,heartrate,moving',
      key_by_type: 'true',
    });
    // Recent runs have a form summary from their streams; older ones none.
    const recent = deps.store.runs.get(`strava:${recentWithStreams[0]?.id}` as never);
    expect(recent && deps.store.runs.getForm(recent.id)?.speedBins.length).toBeGreaterThan(0);
  });

  it('notifies about the runs it imported', async () => {
    const { deps } = await connected(20);
    const result = await syncStrava(deps);
    expect(deps.notified).toHaveLength(1);
    expect(deps.notified[0]).toHaveLength(result.imported);
  });

  it('refreshes an access token that stops working mid-backfill, without an error', async () => {
    const { fake, deps } = await connected(1000);
    const before = readTokens(deps.dataDir);
    fake.revokeAccessTokensAfter(3);
    const result = await syncStrava(deps);
    expect(result.complete).toBe(true);
    expect(result.failed).toEqual([]);
    expect(fake.log.filter((r) => r.status === 401)).toHaveLength(1);
    expect(fake.log.filter((r) => r.path === '/oauth/token')).toHaveLength(2);
    const after = readTokens(deps.dataDir);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(deps.store.runs.count()).toBe(runsOf(fake).length);
  });

  it('refreshes an expired access token before using it', async () => {
    const { fake, deps } = await connected(30);
    fake.expireAccessTokens();
    // The keeper trusts the stored expires_at: move it into the past too.
    const t = readTokens(deps.dataDir);
    expect(t).not.toBeNull();
    const { writeTokens } = await import('../../src/strava/tokens.ts');
    if (t) writeTokens(deps.dataDir, { ...t, expiresAt: Math.floor(Date.now() / 1000) - 1 });
    const result = await syncStrava(deps);
    expect(result.complete).toBe(true);
    expect(fake.log.filter((r) => r.status === 401)).toHaveLength(0);
  });

  it('waits for the rate-limit window after a 429 when the wait is short, then goes on', async () => {
    let clock = Date.now();
    const slept: number[] = [];
    fake = await FakeStrava.start({ activities: 1000 });
    const deps = {
      ...makeDeps(fake),
      nowMs: () => clock,
      maxWaitMs: 15 * 60_000,
      sleep: (ms: number) => {
        slept.push(ms);
        clock += ms;
        fake?.resetRateWindow();
        return Promise.resolve();
      },
    };
    expect((await connect(deps)).ok).toBe(true);
    fake.inject429(1, 2);
    const result = await syncStrava(deps);
    expect(result.complete).toBe(true);
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(0);
    expect(slept[0]).toBeLessThanOrEqual(15 * 60_000 + 2000);
    expect(deps.store.runs.count()).toBe(runsOf(fake).length);
  });

  it('stops short of the read limit with progress saved, and resumes in the next window', async () => {
    fake = await FakeStrava.start({ activities: 1000, readLimit: [20, 1000] });
    const deps = makeDeps(fake);
    expect((await connect(deps)).ok).toBe(true);
    const first = await syncStrava(deps);
    expect(first.complete).toBe(false);
    expect(first.stopped?.reason).toContain('15-minute read rate limit');
    // It stopped short: Strava never had to answer 429.
    expect(fake.log.filter((r) => r.status === 429)).toHaveLength(0);
    expect(readSyncState(deps).cursor).not.toBeNull();

    fake.resetRateWindow();
    const later = { ...deps, nowMs: () => Date.now() + 15 * 60_000 };
    const second = await syncStrava(later);
    expect(second.complete || second.stopped !== null).toBe(true);
    let total = first.imported + second.imported;
    for (let i = 0; i < 5 && !readSyncState(deps).backfillComplete; i++) {
      fake.resetRateWindow();
      const next = await syncStrava({ ...deps, nowMs: () => Date.now() + (i + 2) * 15 * 60_000 });
      total += next.imported;
    }
    expect(readSyncState(deps).backfillComplete).toBe(true);
    expect(total).toBe(runsOf(fake).length);
    expect(deps.store.runs.count()).toBe(runsOf(fake).length);
  });

  it('retries a 5xx with backoff', async () => {
    const { fake, deps } = await connected(50);
    fake.inject5xx(2);
    const lines: string[] = [];
    const result = await syncStrava({ ...deps, log: captureLogger(lines) });
    expect(result.complete).toBe(true);
    expect(fake.log.filter((r) => r.status === 500)).toHaveLength(2);
    expect(lines.join('')).toContain('retrying');
  });

  it('stops cleanly when Strava keeps failing, and the next sync finishes', async () => {
    const { fake, deps } = await connected(300);
    fake.inject5xx(1000);
    const first = await syncStrava(deps);
    expect(first.complete).toBe(false);
    expect(first.stopped?.reason).toMatch(/HTTP 500/);
    fake.inject5xx(0);
    const second = await syncStrava(deps);
    expect(second.complete).toBe(true);
    expect(deps.store.runs.count()).toBe(runsOf(fake).length);
  });

  it('notices edits, type changes and deletions of recent activities', async () => {
    const { fake, deps } = await connected(40);
    await syncStrava(deps);
    const recent = runsOf(fake)
      .filter((a) => a.manual === false)
      .slice(-3);
    const [edited, retyped, deleted] = recent as [Json, Json, Json];
    edited.distance = 6543.2;
    retyped.type = 'Walk';
    retyped.sport_type = 'Walk';
    fake.activities.delete(deleted.id as number);
    const result = await syncStrava(deps);
    expect(result).toMatchObject({ imported: 0, updated: 1, deleted: 2 });
    expect(result.skipped).toEqual([{ id: String(retyped.id), reason: 'not a run (Walk)' }]);
    expect(deps.store.runs.get(`strava:${edited.id}` as never)?.distanceM).toBe(6543.2);
    expect(deps.store.runs.get(`strava:${retyped.id}` as never)).toBeNull();
    expect(deps.store.runs.get(`strava:${deleted.id}` as never)).toBeNull();
    expect(deps.store.strava.get(String(deleted.id))).toBeNull();
    expect(result.apiCalls).toBeLessThanOrEqual(2);
  });

  it('a manual run gets no streams request; a ride is skipped once, not on every sync', async () => {
    const { fake, deps } = await connected(40);
    const first = await syncStrava(deps);
    const manual = runsOf(fake).filter((a) => a.manual === true);
    expect(manual.length).toBeGreaterThan(0);
    for (const m of manual) {
      expect(fake.log.some((r) => r.path === `/api/v3/activities/${m.id}/streams`)).toBe(false);
    }
    expect(first.skipped.length).toBeGreaterThan(0);
    expect((await syncStrava(deps)).skipped).toEqual([]);
  });

  it('says how to connect when there are no tokens', async () => {
    fake = await FakeStrava.start({ activities: 1 });
    await expect(syncStrava(makeDeps(fake))).rejects.toThrow(/kneecheck strava connect/);
  });
});

describe('strava shoes', () => {
  it('turns the gear the runs name into a pair with the athlete’s name for it, at the cost of one request', async () => {
    const { fake, deps } = await connected(60);
    await syncStrava(deps);
    const shoes = deps.store.shoes.list();
    expect(shoes.map((s) => [s.name, s.stravaGearId])).toEqual([
      ['Pegasus 40 (blue)', 'g24681357'],
    ]);
    const runs = deps.store.runs.list();
    expect(shoes[0]?.runs).toBe(runs.length);
    expect(deps.store.shoes.ofRun(runs[0]?.id ?? ('' as never))?.by).toBe('strava');
    // A later sync with known gear asks nothing more.
    const before = fake.log.filter((r) => r.path === '/api/v3/athlete').length;
    await syncStrava(deps);
    expect(fake.log.filter((r) => r.path === '/api/v3/athlete')).toHaveLength(before);
  });

  it('keeps the pair the runner chose for a run when Strava names another', async () => {
    const { deps } = await connected(20);
    const mine = deps.store.shoes.add(
      { name: 'my pair', startedOn: '2000-01-01' },
      new Date().toISOString(),
    );
    const { id } = deps.store.runs.list()[0] ?? { id: null };
    expect(id).toBeNull(); // nothing imported yet
    await syncStrava(deps);
    const [run] = deps.store.runs.list();
    deps.store.shoes.assign(run?.id ?? ('' as never), mine.id, 'user');
    deps.store.shoes.mapStravaGear(
      'g24681357',
      'renamed on Strava',
      false,
      new Date().toISOString(),
    );
    expect(deps.store.shoes.ofRun(run?.id ?? ('' as never))).toMatchObject({
      shoe: { name: 'my pair' },
      by: 'user',
    });
    expect(deps.store.shoes.list().map((s) => s.name)).toContain('renamed on Strava');
  });
});

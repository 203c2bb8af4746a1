import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stravaStreamsSchema, type StravaActivity } from '../../importers/strava-api.ts';
import strava, { formFromStreams, zoneOfLabel } from '../../importers/strava.ts';
import { IMPORTERS, importerFor } from '../../importers/registry.ts';
import { RateBudget, parseRateHeaders } from '../../src/strava/budget.ts';
import { REFRESH_MARGIN_S, TokenKeeper, readTokens, writeTokens } from '../../src/strava/tokens.ts';
import { activityDetail, specFor, summaryOf } from '../support/fake-strava.ts';
import { tempDir } from '../support/paths.ts';

const ctx = { timezone: 'Europe/Berlin' };

/** The first item of a real-shaped list page (values as in the shared fixture). */
const MORNING_RUN: StravaActivity = {
  name: 'Morning Run',
  distance: 5012.4,
  moving_time: 1922,
  elapsed_time: 2010,
  type: 'Run',
  sport_type: 'Run',
  id: 16204455123,
  start_date: '2025-10-21T05:31:07Z',
  start_date_local: '2025-10-21T07:31:07Z',
  timezone: '(GMT+01:00) Europe/Berlin',
  utc_offset: 7200.0,
  trainer: false,
  manual: false,
  private: false,
  gear_id: 'g24681357',
  average_speed: 2.608,
  average_cadence: 78.3,
  has_heartrate: true,
  average_heartrate: 150.7,
};

const read = (a: StravaActivity) => strava.read({ activity: a, streams: null }, ctx);
const runOf = (a: StravaActivity) => {
  const out = read(a);
  if (out.kind !== 'runs') throw new Error(JSON.stringify(out));
  return out.runs[0]?.run;
};

describe('the Strava importer', () => {
  it('is in the registry', () => {
    expect(IMPORTERS.strava).toBe(strava);
    expect(strava.feed).toEqual({ kind: 'api' });
    expect(importerFor('run.fit')).not.toBe(strava);
  });

  it('maps a run: cadence doubled, local offset from start_date_local, zone from the label', () => {
    expect(runOf(MORNING_RUN)).toEqual({
      id: 'strava:16204455123',
      source: 'strava',
      sourceId: '16204455123',
      sources: [{ source: 'strava', sourceId: '16204455123' }],
      startTime: '2025-10-21T07:31:07+02:00',
      timezone: 'Europe/Berlin',
      sport: 'running',
      subSport: null,
      distanceM: 5012.4,
      movingTimeS: 1922,
      elapsedTimeS: 2010,
      avgSpeedMps: 2.608,
      avgCadenceSpm: 156.6,
      avgStepLengthM: 0.999,
      avgHeartRateBpm: 151,
      device: null,
      gearId: 'g24681357',
      partial: false,
      excluded: null,
      warnings: [],
    });
  });

  it('takes device_name from the detail only', () => {
    expect(runOf({ ...MORNING_RUN, device_name: 'Garmin Forerunner 55' })?.device).toBe(
      'Garmin Forerunner 55',
    );
  });

  it('treadmill (trainer), trail and virtual runs get their sub-sport', () => {
    expect(runOf({ ...MORNING_RUN, trainer: true })?.subSport).toBe('treadmill');
    expect(runOf({ ...MORNING_RUN, sport_type: 'TrailRun' })?.subSport).toBe('trail');
    expect(runOf({ ...MORNING_RUN, type: 'VirtualRun', sport_type: 'VirtualRun' })?.subSport).toBe(
      'virtual',
    );
  });

  it('missing values are null, never 0 (absent keys, a manual run)', () => {
    const bare: StravaActivity = { ...MORNING_RUN };
    delete bare.average_cadence;
    delete bare.average_heartrate;
    const run = runOf({ ...bare, manual: true, has_heartrate: false });
    expect(run).toMatchObject({
      avgCadenceSpm: null,
      avgStepLengthM: null,
      avgHeartRateBpm: null,
      warnings: ['no-cadence'],
    });
    expect(runOf({ ...MORNING_RUN, distance: 0 })?.distanceM).toBeNull();
  });

  it('rides and walks are skipped with a reason', () => {
    expect(read({ ...MORNING_RUN, type: 'Ride', sport_type: 'Ride' })).toEqual({
      kind: 'skipped',
      reason: 'not a run (Ride)',
    });
    expect(read({ ...MORNING_RUN, type: 'Walk', sport_type: 'Walk' })).toEqual({
      kind: 'skipped',
      reason: 'not a run (Walk)',
    });
  });

  it('a run abroad keeps its local time; a run in New York gets that zone', () => {
    const ny = runOf({
      ...MORNING_RUN,
      start_date: '2025-07-01T10:00:00Z',
      start_date_local: '2025-07-01T06:00:00Z',
      timezone: '(GMT-05:00) America/New_York',
      utc_offset: -14400.0,
    });
    expect(ny).toMatchObject({
      startTime: '2025-07-01T06:00:00-04:00',
      timezone: 'America/New_York',
    });
    const unnamed = runOf({
      ...MORNING_RUN,
      timezone: '(GMT+03:00) Nowhere/Special',
      start_date_local: '2025-10-21T08:31:07Z',
    });
    expect(unnamed).toMatchObject({ startTime: '2025-10-21T08:31:07+03:00', timezone: 'UTC+3' });
    expect(zoneOfLabel('(GMT+01:00) Europe/Berlin')).toBe('Europe/Berlin');
  });

  it('builds the form summary from streams: cadence doubled, stops not counted', () => {
    const detail = activityDetail(1, 2, specFor(0, new Date('2025-10-21T05:31:07Z')));
    const streams = {
      time: { data: [0, 1, 2, 3, 4, 5] },
      velocity_smooth: { data: [2.6, 2.6, 2.6, 0.1, 2.8, 2.8] },
      cadence: { data: [78, 78, 79, 0, 80, 80] },
      moving: { data: [true, true, true, false, true, true] },
    };
    const form = formFromStreams(stravaStreamsSchema.parse(streams));
    expect(form?.speedBins.map((b) => b.avgCadenceSpm)).toEqual([157, 160]);
    // The list form of the same streams.
    const list = Object.entries(streams).map(([type, s]) => ({ type, ...s }));
    expect(formFromStreams(stravaStreamsSchema.parse(list))).toEqual(form);
    expect(summaryOf(detail)).not.toHaveProperty('device_name');
  });
});

describe('the rate-limit budget', () => {
  const headers = (usage: string, read: string) => ({
    'X-RateLimit-Limit': '200,2000',
    'X-RateLimit-Usage': usage,
    'X-ReadRateLimit-Limit': '100,1000',
    'X-ReadRateLimit-Usage': read,
  });

  it('reads both limits, 15min,daily', () => {
    expect(parseRateHeaders(headers('37,412', '36,405'), 0)).toEqual({
      overall: { limit15min: 200, limitDaily: 2000, usage15min: 37, usageDaily: 412 },
      read: { limit15min: 100, limitDaily: 1000, usage15min: 36, usageDaily: 405 },
      at: new Date(0).toISOString(),
    });
  });

  it('stops short of the 15-minute read limit until the window turns; daily until midnight UTC', () => {
    const now = Date.UTC(2025, 9, 21, 10, 7, 0);
    const b = new RateBudget({ nowMs: () => now });
    b.update(headers('90,500', '94,500'));
    expect(b.check(true).kind).toBe('go');
    expect(b.check(false).kind).toBe('go');
    b.update(headers('96,500', '95,500'));
    expect(b.check(true)).toEqual({
      kind: 'wait',
      untilMs: Date.UTC(2025, 9, 21, 10, 15, 2),
      scope: '15min',
      limit: 'read',
    });
    b.update(headers('96,1990', '95,960'));
    expect(b.check(true)).toMatchObject({
      untilMs: Date.UTC(2025, 9, 22, 0, 0, 2),
      scope: 'daily',
    });
  });

  it('forgets usage from a window that has passed', () => {
    let now = Date.UTC(2025, 9, 21, 10, 14, 0);
    const b = new RateBudget({ nowMs: () => now });
    b.update(headers('199,500', '100,500'));
    expect(b.check(true).kind).toBe('wait');
    now += 2 * 60_000;
    expect(b.check(true).kind).toBe('go');
    expect(b.snapshot()?.read).toMatchObject({ usage15min: 0, usageDaily: 500 });
  });
});

describe('the token store', () => {
  const tokens = {
    accessToken: 'a'.repeat(40),
    refreshToken: 'r'.repeat(40),
    expiresAt: 1_000_000,
    scope: ['read', 'activity:read_all'],
    athlete: { id: 1, name: 'Sam', username: null },
    connectedAt: '2025-10-21T00:00:00Z',
  };

  it('is a 0600 file whatever the umask', () => {
    const dir = tempDir();
    const old = process.umask(0o000);
    try {
      writeTokens(dir, tokens);
    } finally {
      process.umask(old);
    }
    expect(fs.statSync(path.join(dir, 'strava-tokens.json')).mode & 0o777).toBe(0o600);
    expect(readTokens(dir)).toEqual(tokens);
  });

  it('refreshes 5 minutes before expiry, once for parallel callers', async () => {
    const dir = tempDir();
    writeTokens(dir, tokens);
    let now = (tokens.expiresAt - REFRESH_MARGIN_S - 1) * 1000;
    let refreshes = 0;
    const keeper = new TokenKeeper({
      dataDir: dir,
      nowMs: () => now,
      refresh: async () => {
        refreshes++;
        await new Promise((r) => setTimeout(r, 5));
        return {
          token_type: 'Bearer',
          access_token: 'b'.repeat(40),
          refresh_token: 'r'.repeat(40),
          expires_at: tokens.expiresAt + 21_600,
          expires_in: 21_600,
        };
      },
    });
    expect(await keeper.accessToken()).toBe(tokens.accessToken);
    now += 2000;
    const got = await Promise.all([keeper.accessToken(), keeper.accessToken()]);
    expect(got).toEqual(['b'.repeat(40), 'b'.repeat(40)]);
    expect(refreshes).toBe(1);
    expect(readTokens(dir)?.accessToken).toBe('b'.repeat(40));
    expect(keeper.secrets).toContain(tokens.accessToken);
  });
});

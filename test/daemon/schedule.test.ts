import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  lastScheduledTime,
  schedule,
  settingsLastRuns,
  type LastRunStore,
  type RunContext,
  type ScheduledJob,
} from '../../src/daemon/schedule.ts';
import { KneecheckError } from '../../src/errors.ts';
import { createLogger } from '../../src/log.ts';
import { Store } from '../../src/store/index.ts';
import { tempDir } from '../support/paths.ts';

const at = (iso: string) => new Date(iso);

describe('lastScheduledTime', () => {
  const zone = 'Europe/Berlin';
  it('finds the latest scheduled time in (after, upTo], in the given zone', () => {
    const daily = '0 8 * * *';
    expect(
      lastScheduledTime(daily, zone, at('2026-11-24T07:00:00Z'), at('2026-11-25T06:59:59Z')),
    ).toBeNull();
    expect(
      lastScheduledTime(daily, zone, at('2026-11-24T07:00:00Z'), at('2026-11-25T07:00:00Z')),
    ).toEqual(at('2026-11-25T07:00:00Z'));
    // Several missed: the latest one.
    expect(
      lastScheduledTime(daily, zone, at('2026-11-20T12:00:00Z'), at('2026-11-25T12:00:00Z')),
    ).toEqual(at('2026-11-25T07:00:00Z'));
    // Summer time: 08:00 in Berlin is 06:00 UTC.
    expect(
      lastScheduledTime(daily, zone, at('2026-07-01T00:00:00Z'), at('2026-07-01T12:00:00Z')),
    ).toEqual(at('2026-07-01T06:00:00Z'));
    expect(
      lastScheduledTime(
        daily,
        'America/New_York',
        at('2026-11-24T00:00:00Z'),
        at('2026-11-25T15:00:00Z'),
      ),
    ).toEqual(at('2026-11-25T13:00:00Z'));
  });

  it('handles minute steps, weekdays, seconds and an empty window', () => {
    expect(
      lastScheduledTime(
        '*/15 * * * *',
        zone,
        at('2026-11-25T09:00:00Z'),
        at('2026-11-25T10:37:12Z'),
      ),
    ).toEqual(at('2026-11-25T10:30:00Z'));
    // Mondays at 07:30 local; 2026-11-25 is a Wednesday.
    expect(
      lastScheduledTime('30 7 * * 1', zone, at('2026-11-01T00:00:00Z'), at('2026-11-25T10:00:00Z')),
    ).toEqual(at('2026-11-23T06:30:00Z'));
    expect(
      lastScheduledTime(
        '15 * * * * *',
        zone,
        at('2026-11-25T09:00:00Z'),
        at('2026-11-25T10:37:12Z'),
      ),
    ).toEqual(at('2026-11-25T10:36:15Z'));
    expect(
      lastScheduledTime('0 8 * * *', zone, at('2026-11-25T10:00:00Z'), at('2026-11-25T09:00:00Z')),
    ).toBeNull();
    // Across the spring-forward night, a time that exists is found.
    expect(
      lastScheduledTime('30 3 * * *', zone, at('2026-03-28T12:00:00Z'), at('2026-03-29T12:00:00Z')),
    ).toEqual(at('2026-03-29T01:30:00Z'));
  });
});

/** A logger whose lines land in `lines`. */
function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, logger: createLogger({ stream, json: true, level: 'debug' }) };
}

function memoryLastRuns(initial: Record<string, Date> = {}): LastRunStore & {
  saved: Map<string, Date>;
} {
  const saved = new Map(Object.entries(initial));
  return { saved, get: (n) => saved.get(n) ?? null, set: (n, d) => void saved.set(n, d) };
}

describe('schedule (node-cron, fake clock)', () => {
  const jobs: ScheduledJob[] = [];
  beforeEach(() => {
    vi.useFakeTimers({
      now: at('2026-11-25T06:58:30Z'), // 07:58:30 in Berlin
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
  });
  afterEach(async () => {
    for (const j of jobs.splice(0)) await j.stop();
    vi.useRealTimers();
  });

  const track = (j: ScheduledJob) => {
    jobs.push(j);
    return j;
  };

  it('runs at the cron time in the runner’s zone', async () => {
    const runs: (RunContext & { at: string })[] = [];
    const job = track(
      schedule('followup', '0 8 * * *', 'Europe/Berlin', (ctx) => {
        runs.push({ ...ctx, at: new Date().toISOString() });
      }),
    );
    expect(job.status()).toMatchObject({
      name: 'followup',
      running: false,
      lastRunAt: null,
      nextRunAt: '2026-11-25T07:00:00.000Z',
    });
    await vi.advanceTimersByTimeAsync(89_000); // 07:59:59
    expect(runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(runs).toEqual([
      {
        reason: 'scheduled',
        scheduledFor: at('2026-11-25T07:00:00Z'),
        at: expect.stringMatching(/^2026-11-25T07:00:00/),
      },
    ]);
    expect(job.status().lastRunAt).toMatch(/^2026-11-25T07:00:00/);
    expect(job.status().nextRunAt).toBe('2026-11-26T07:00:00.000Z');
    // The next day, again once.
    await vi.advanceTimersByTimeAsync(24 * 3600_000);
    expect(runs).toHaveLength(2);
  });

  it('catches up once after the machine slept through scheduled times', async () => {
    const { lines, logger } = captureLogger();
    const runs: RunContext[] = [];
    const lastRuns = memoryLastRuns();
    track(
      schedule('sync', '*/15 * * * *', 'Europe/Berlin', (ctx) => void runs.push(ctx), {
        logger,
        lastRuns,
      }),
    );
    await vi.advanceTimersByTimeAsync(120_000); // 07:00:30: the 07:00 sync ran
    expect(runs.map((r) => r.reason)).toEqual(['scheduled']);
    // Asleep for 5 hours: the wall clock jumps, timers do not advance.
    vi.setSystemTime(Date.now() + 5 * 3600_000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs.map((r) => r.reason)).toEqual(['scheduled', 'catch-up']);
    expect(runs[1]?.scheduledFor).toEqual(at('2026-11-25T12:00:00Z'));
    expect(lines.some((l) => l.msg === 'the clock jumped (the machine slept?)')).toBe(true);
    expect(lastRuns.saved.get('sync')?.toISOString()).toMatch(/^2026-11-25T12:01:30/);
    // node-cron's own timer wakes late, sees the missed times: no second catch-up.
    await vi.advanceTimersByTimeAsync(13 * 60_000); // 12:14:30
    expect(runs).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(60_000); // 12:15:30
    expect(runs.map((r) => r.reason)).toEqual(['scheduled', 'catch-up', 'scheduled']);
    expect(runs[2]?.scheduledFor).toEqual(at('2026-11-25T12:15:00Z'));
  });

  it('leaves times node-cron found missed to the next tick when that tick runs', async () => {
    const runs: RunContext[] = [];
    // No wake check: only node-cron's own late heartbeat notices the sleep.
    track(
      schedule('sync', '*/15 * * * *', 'Europe/Berlin', (ctx) => void runs.push(ctx), {
        wakeCheckMs: 10 * 86_400_000,
      }),
    );
    await vi.advanceTimersByTimeAsync(120_000); // 07:00:30
    vi.setSystemTime(Date.now() + 5 * 3600_000);
    await vi.advanceTimersByTimeAsync(16 * 60_000); // 12:16:30
    expect(runs.map((r) => [r.reason, r.scheduledFor?.toISOString()])).toEqual([
      ['scheduled', '2026-11-25T07:00:00.000Z'],
      ['scheduled', '2026-11-25T12:15:00.000Z'],
    ]);
  });

  it('runs once, a second later, for a tick node-cron found too late (blocked event loop)', async () => {
    const runs: (RunContext & { at: string })[] = [];
    track(
      schedule('followup', '0 8 * * *', 'Europe/Berlin', (ctx) => {
        runs.push({ ...ctx, at: new Date().toISOString() });
      }),
    );
    await vi.advanceTimersByTimeAsync(88_000); // 07:59:58
    vi.setSystemTime(Date.now() + 5_000); // the loop was blocked for 5 s over 08:00
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs).toEqual([
      {
        reason: 'catch-up',
        scheduledFor: at('2026-11-25T07:00:00Z'),
        at: expect.stringMatching(/^2026-11-25T07:00:0[5-9]/),
      },
    ]);
  });

  it('does not catch up after a sleep in which nothing was due', async () => {
    const runs: RunContext[] = [];
    track(schedule('followup', '0 8 * * *', 'Europe/Berlin', (ctx) => void runs.push(ctx)));
    await vi.advanceTimersByTimeAsync(120_000); // 08:00:30: ran
    vi.setSystemTime(Date.now() + 3 * 3600_000); // asleep until 11:00
    await vi.advanceTimersByTimeAsync(120_000);
    expect(runs.map((r) => r.reason)).toEqual(['scheduled']);
  });

  it('never overlaps itself, and logs a failing run without stopping', async () => {
    const { lines, logger } = captureLogger();
    let release: () => void = () => undefined;
    let calls = 0;
    track(
      schedule(
        'slow',
        '* * * * *',
        'UTC',
        async () => {
          calls++;
          if (calls === 1) await new Promise<void>((r) => (release = r));
          if (calls === 2) throw new Error('Strava is down');
        },
        { logger },
      ),
    );
    await vi.advanceTimersByTimeAsync(30_000); // 06:59:00: run 1 starts and hangs
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000); // 07:00:00: skipped
    expect(calls).toBe(1);
    expect(lines.some((l) => l.msg === 'skipped: the previous run is still going')).toBe(true);
    release();
    await vi.advanceTimersByTimeAsync(60_000); // 07:01: run 2 throws
    expect(calls).toBe(2);
    expect(lines.find((l) => l.msg === 'run failed')).toMatchObject({
      job: 'slow',
      error: 'Strava is down',
    });
    await vi.advanceTimersByTimeAsync(60_000); // 07:02: runs again
    expect(calls).toBe(3);
  });

  it('runs once at start when a time passed while the daemon was stopped', async () => {
    const runs: RunContext[] = [];
    const lastRuns = memoryLastRuns({ sync: at('2026-11-24T21:00:00Z') });
    track(
      schedule('sync', '*/15 * * * *', 'Europe/Berlin', (ctx) => void runs.push(ctx), {
        lastRuns,
      }),
    );
    await vi.advanceTimersByTimeAsync(10);
    expect(runs).toEqual([{ reason: 'catch-up', scheduledFor: at('2026-11-25T06:45:00Z') }]);
    expect(lastRuns.saved.get('sync')?.toISOString()).toMatch(/^2026-11-25T06:58:30/);
  });

  it('does not run at start when nothing was due since the last run', async () => {
    const runs: RunContext[] = [];
    const lastRuns = memoryLastRuns({ followup: at('2026-11-24T07:00:00.200Z') });
    track(
      schedule('followup', '0 8 * * *', 'Europe/Berlin', (ctx) => void runs.push(ctx), {
        lastRuns,
      }),
    );
    await vi.advanceTimersByTimeAsync(10);
    // Today's 08:00 (Berlin) has not come yet: it is 07:58:30.
    expect(runs).toEqual([]);
  });

  it('runNow runs on demand; stop waits for the run in hand', async () => {
    let done = false;
    const job = schedule('sync', '0 * * * *', 'UTC', async () => {
      await new Promise((r) => setTimeout(r, 5_000));
      done = true;
    });
    const ran = job.runNow();
    expect(job.status().running).toBe(true);
    expect(await job.runNow()).toBe(false); // already running
    const stopped = job.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    await stopped;
    expect(done).toBe(true);
    expect(await ran).toBe(true);
    expect(job.status()).toMatchObject({ running: false, nextRunAt: null });
  });
});

describe('schedule with an injected clock and timer', () => {
  it('checks for a wake-up with the given timer and clock', async () => {
    let nowMs = Date.parse('2026-11-25T06:00:00Z');
    let tick: () => void = () => undefined;
    const runs: RunContext[] = [];
    const job = schedule('followup', '0 8 * * *', 'Europe/Berlin', (ctx) => void runs.push(ctx), {
      now: () => new Date(nowMs),
      wakeCheckMs: 1000,
      timer: {
        setInterval: (fn) => {
          tick = fn;
          return 1;
        },
        clearInterval: () => undefined,
      },
    });
    try {
      nowMs += 1000;
      tick();
      expect(runs).toEqual([]);
      nowMs += 3 * 3600_000; // slept past 08:00 Berlin (07:00 UTC)
      tick();
      await vi.waitFor(() => expect(runs).toHaveLength(1));
      expect(runs[0]).toEqual({ reason: 'catch-up', scheduledFor: at('2026-11-25T07:00:00Z') });
      nowMs += 1000;
      tick();
      nowMs += 5000; // another jump, nothing new due
      tick();
      await new Promise((r) => setTimeout(r, 10));
      expect(runs).toHaveLength(1);
    } finally {
      await job.stop();
    }
  });

  it('refuses an invalid cron expression', () => {
    expect(() => schedule('bad', '61 * * * *', 'UTC', () => undefined)).toThrow(KneecheckError);
    expect(() => schedule('bad', 'every day', 'UTC', () => undefined)).toThrow(
      /bad: "every day" is not a valid cron expression/,
    );
  });

  it('keeps last run times in the settings table', () => {
    const store = Store.open(tempDir());
    try {
      const lr = settingsLastRuns(store.settings);
      expect(lr.get('sync')).toBeNull();
      lr.set('sync', at('2026-11-25T07:00:00Z'));
      expect(settingsLastRuns(store.settings).get('sync')).toEqual(at('2026-11-25T07:00:00Z'));
      expect(store.settings.get('schedule.lastRun.sync')).toBe('2026-11-25T07:00:00.000Z');
    } finally {
      store.close();
    }
  });
});

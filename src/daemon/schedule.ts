import { DateTime } from 'luxon';
import { createTask, parse, validate, type Logger as CronLogger } from 'node-cron';
import { KneecheckError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import type { SettingsTable } from '../store/settings.ts';

/** Why a job's task runs. */
export type RunReason = 'scheduled' | 'catch-up' | 'manual';

export interface RunContext {
  reason: RunReason;
  /** The scheduled time this run stands for (the latest one missed, for a catch-up), if any. */
  scheduledFor: Date | null;
}

export type JobTask = (ctx: RunContext) => unknown;

/** Where a job's last run time is kept between daemon runs. */
export interface LastRunStore {
  get(name: string): Date | null;
  set(name: string, at: Date): void;
}

/** The timer the wake check uses (injectable for tests). */
export interface IntervalTimer {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface ScheduleOptions {
  logger?: Logger;
  /** The wall clock (default: the real time). */
  now?: () => Date;
  /** The wake check's timer (default: the global `setInterval`, unref'd). */
  timer?: IntervalTimer;
  /** How often the wake check compares the wall clock (default 60 s). */
  wakeCheckMs?: number;
  /** Keeps the last run time across restarts (e.g. {@link settingsLastRuns}). */
  lastRuns?: LastRunStore;
  /**
   * At start, run once when a scheduled time passed since the persisted last run (the daemon was
   * stopped or the machine off). Default true; needs `lastRuns` with a recorded run.
   */
  catchUpOnStart?: boolean;
}

export interface JobStatus {
  name: string;
  cron: string;
  timezone: string;
  running: boolean;
  /** ISO start of the last run, or null. */
  lastRunAt: string | null;
  /** ISO time of the next scheduled run, or null once stopped. */
  nextRunAt: string | null;
}

/** A running schedule. */
export interface ScheduledJob {
  readonly name: string;
  status(): JobStatus;
  /**
   * Runs the task now unless it is already running. Resolves once it is done: true when it
   * ran, false when it was skipped.
   */
  runNow(reason?: RunReason): Promise<boolean>;
  /** Runs the task once if a scheduled time passed since the last run (see {@link schedule}). */
  catchUp(): Promise<boolean>;
  /** Stops the timers, then waits for the run in hand (if any). */
  stop(): Promise<void>;
}

/** Look back at most this far for a missed time; a longer gap is treated as this long. */
const MAX_LOOKBACK_DAYS = 366;

const desc = (xs: readonly number[]) => [...xs].sort((a, b) => b - a);

/** Checks a cron expression with node-cron; throws a {@link KneecheckError} naming the job. */
export function assertCron(name: string, cronExpr: string): void {
  if (!validate(cronExpr)) {
    throw new KneecheckError(
      `${name}: "${cronExpr}" is not a valid cron expression (e.g. "0 8 * * *" for 08:00 daily)`,
    );
  }
}

/**
 * The latest time in (`after`, `upTo`] at which `cronExpr` fires in `timezone`, or null. Walks
 * back day by day over node-cron's parsed fields (one `match` per day to rule a day out), and
 * lets node-cron's own matcher (`ScheduledTask.match`) decide every candidate, so the L/W/#
 * forms and DST behave as node-cron schedules them. Looks back at most 366 days.
 */
export function lastScheduledTime(
  cronExpr: string,
  timezone: string,
  after: Date,
  upTo: Date,
): Date | null {
  const matcher = createTask(cronExpr, () => undefined, { timezone });
  try {
    return lastMatch(cronExpr, timezone, (d) => matcher.match(d), after, upTo);
  } finally {
    void matcher.destroy();
  }
}

function lastMatch(
  cronExpr: string,
  timezone: string,
  match: (d: Date) => boolean,
  after: Date,
  upTo: Date,
): Date | null {
  const f = parse(cronExpr);
  const seconds = desc(f.second);
  const minutes = desc(f.minute);
  const hours = desc(f.hour);
  const hi = Math.floor(upTo.getTime() / 1000) * 1000;
  const lo = Math.max(after.getTime(), hi - MAX_LOOKBACK_DAYS * 86_400_000);
  if (hi <= lo) return null;
  const [h0, m0, s0] = [hours.at(-1) ?? 0, minutes.at(-1) ?? 0, seconds.at(-1) ?? 0];
  let day = DateTime.fromMillis(hi, { zone: timezone }).startOf('day');
  while (day.endOf('day').toMillis() > lo) {
    if (f.month.includes(day.month)) {
      // Rule the day out with one check of its earliest candidate (its date fields decide).
      const first = day.set({ hour: h0, minute: m0, second: s0 });
      const shifted = first.hour !== h0 || first.minute !== m0; // fell into a DST gap
      if (shifted || match(first.toJSDate())) {
        for (const h of hours) {
          for (const m of minutes) {
            for (const s of seconds) {
              const t = day.set({ hour: h, minute: m, second: s });
              if (t.hour !== h || t.minute !== m) continue; // does not exist (DST gap)
              const ms = t.toMillis();
              if (ms > hi) continue;
              if (ms <= lo) return null;
              if (match(new Date(ms))) return new Date(ms);
            }
          }
        }
      }
    }
    day = day.minus({ days: 1 });
  }
  return null;
}

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

function cronLogger(log: Logger): CronLogger {
  return {
    info: (m) => log.debug(`node-cron: ${m}`),
    warn: (m) => log.warn(`node-cron: ${m}`),
    error: (m, err) => log.error(`node-cron: ${errText(m)}`, err ? { error: errText(err) } : {}),
    debug: (m) => log.debug(`node-cron: ${errText(m)}`),
  };
}

const globalTimer: IntervalTimer = {
  setInterval: (fn, ms) => setInterval(fn, ms).unref(),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};

/**
 * Runs `task` at the times of `cronExpr` in `timezone` (node-cron), never overlapping itself: a
 * tick that comes while the previous run is still going is skipped (and logged). A task that
 * throws or rejects is logged, never rethrown.
 *
 * Missed runs: every `wakeCheckMs` (60 s) the wall clock is compared with the previous check;
 * a jump of more than twice the interval means the machine slept (timers do not advance while
 * suspended), and if at least one scheduled time passed since the last run, the task runs once
 * (not once per missed time). node-cron's own `execution:missed` event (a tick that came more
 * than a second late, e.g. on a blocked event loop) triggers the same check. With `lastRuns`,
 * the last run time survives restarts and a time missed while the daemon was stopped is run
 * once at start (`catchUpOnStart`).
 *
 * Throws a {@link KneecheckError} when the expression is not valid cron.
 */
export function schedule(
  name: string,
  cronExpr: string,
  timezone: string,
  task: JobTask,
  opts: ScheduleOptions = {},
): ScheduledJob {
  assertCron(name, cronExpr);
  const log = (opts.logger ?? silentLogger).child({ job: name });
  const now = opts.now ?? (() => new Date());
  const timer = opts.timer ?? globalTimer;
  const wakeCheckMs = opts.wakeCheckMs ?? 60_000;

  let lastRun: Date | null = null;
  try {
    lastRun = opts.lastRuns?.get(name) ?? null;
  } catch (e) {
    log.warn('could not read the last run time', { error: errText(e) });
  }
  const persisted = lastRun !== null;
  /** Scheduled times up to here are settled: run, or skipped on purpose. */
  let settledUpTo = lastRun?.getTime() ?? now().getTime();
  let current: Promise<void> | null = null;
  let stopped = false;

  const run = async (reason: RunReason, scheduledFor: Date | null): Promise<boolean> => {
    if (stopped) return false;
    if (current) {
      log.info('skipped: the previous run is still going', {
        reason,
        scheduledFor: scheduledFor?.toISOString(),
      });
      settledUpTo = Math.max(settledUpTo, scheduledFor?.getTime() ?? now().getTime());
      return false;
    }
    const started = now();
    lastRun = started;
    settledUpTo = Math.max(settledUpTo, started.getTime());
    try {
      opts.lastRuns?.set(name, started);
    } catch (e) {
      log.warn('could not save the last run time', { error: errText(e) });
    }
    log.debug('run', { reason, scheduledFor: scheduledFor?.toISOString() });
    const p = (async () => {
      try {
        await task({ reason, scheduledFor });
      } catch (e) {
        log.error('run failed', { reason, error: errText(e) });
      }
    })();
    current = p;
    try {
      await p;
    } finally {
      current = null;
    }
    return true;
  };

  /** Runs once if a scheduled time in (settled, upTo] was missed. */
  const catchUp = async (upTo: Date = now()): Promise<boolean> => {
    if (stopped) return false;
    let missed: Date | null;
    try {
      const match = (d: Date) => cronTask.match(d);
      missed = lastMatch(cronExpr, timezone, match, new Date(settledUpTo), upTo);
    } catch (e) {
      log.error('could not compute the missed run', { error: errText(e) });
      return false;
    }
    if (!missed) return false;
    log.info('running once for a missed scheduled time', { missed: missed.toISOString() });
    return run('catch-up', missed);
  };

  const cronTask = createTask(cronExpr, (ctx) => run('scheduled', ctx.date), {
    name,
    timezone,
    logger: cronLogger(log),
    suppressMissedWarning: true,
    unref: true,
  });
  // Ticks node-cron found too late to run (more than a second): a second later, unless a run
  // has settled them meanwhile (the next tick, when node-cron woke just in time for it), run
  // once for them. Only those times count: a later one is still to come.
  let missedUpTo = 0;
  let missedTimer: NodeJS.Timeout | null = null;
  cronTask.on('execution:missed', (ctx) => {
    missedUpTo = Math.max(missedUpTo, ctx.date.getTime());
    if (missedTimer || stopped) return;
    missedTimer = setTimeout(() => {
      missedTimer = null;
      void catchUp(new Date(missedUpTo));
    }, 1000);
    missedTimer.unref();
  });
  void cronTask.start();

  let lastTick = now().getTime();
  const wake = timer.setInterval(() => {
    const t = now().getTime();
    const gap = t - lastTick;
    lastTick = t;
    if (gap > 2 * wakeCheckMs) {
      log.info('the clock jumped (the machine slept?)', { gapS: Math.round(gap / 1000) });
      void catchUp();
    }
  }, wakeCheckMs);

  if (persisted && (opts.catchUpOnStart ?? true)) void catchUp();

  return {
    name,
    status: () => {
      const next = stopped ? null : cronTask.getNextRun();
      return {
        name,
        cron: cronExpr,
        timezone,
        running: current !== null,
        lastRunAt: lastRun?.toISOString() ?? null,
        nextRunAt: next?.toISOString() ?? null,
      };
    },
    runNow: (reason = 'manual') => run(reason, null),
    catchUp: () => catchUp(),
    stop: async () => {
      if (!stopped) {
        stopped = true;
        timer.clearInterval(wake);
        if (missedTimer) clearTimeout(missedTimer);
        await cronTask.destroy();
      }
      await current;
    },
  };
}

/** Keeps each job's last run time in the settings table, under `schedule.lastRun.<name>`. */
export function settingsLastRuns(settings: Pick<SettingsTable, 'text' | 'set'>): LastRunStore {
  const key = (name: string) => `schedule.lastRun.${name}`;
  return {
    get: (name) => {
      const v = settings.text(key(name));
      return v !== null && !Number.isNaN(Date.parse(v)) ? new Date(v) : null;
    },
    set: (name, at) => settings.set(key(name), at.toISOString(), at.toISOString()),
  };
}

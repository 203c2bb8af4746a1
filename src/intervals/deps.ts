import type { Config } from '../config/index.ts';
import type { Logger } from '../log.ts';
import type { Run } from '../model.ts';
import { notifyNewRuns } from '../notify/index.ts';
import type { Store } from '../store/index.ts';
import { IntervalsClient } from './http.ts';
import { IntervalsNotConnectedError, readKey, type StoredKey } from './key.ts';

/**
 * What the intervals.icu parts need (the CLI and the daemon pass the same): the store, the
 * config, the clock for run data (KNEECHECK_NOW in tests), a logger, and optional test seams.
 */
export interface IntervalsDeps {
  store: Store;
  config: Config;
  /** The clock for run data (windows, 48 h prompts). */
  now: () => Date;
  log: Logger;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** First retry backoff, ms (default 500). */
  backoffMs?: number;
  /** Stops a sync between requests with its progress saved (daemon shutdown). */
  signal?: AbortSignal;
  /** Pause before each request, ms (the daemon: {@link DAEMON_PACE_MS}; a command: none). */
  paceMs?: number;
  /** Called with the runs a sync imported (default: notifyNewRuns; never throws). */
  notify?: (runs: readonly Run[]) => Promise<unknown>;
}

/** The daemon's pace: a history of thousands of runs is fetched at most 5 requests a second. */
export const DAEMON_PACE_MS = 200;

/** Settings keys (the `settings` table). */
export const SETTINGS = { sync: 'intervals.sync' } as const;

/** A client for the stored key; {@link IntervalsNotConnectedError} when there is none. */
export function openClient(
  deps: IntervalsDeps,
  key?: StoredKey | null,
): {
  client: IntervalsClient;
  key: StoredKey;
} {
  const k = key ?? readKey(deps.config.dataDir);
  if (!k) throw new IntervalsNotConnectedError();
  const client = new IntervalsClient({
    baseUrl: deps.config.intervals.apiUrl,
    apiKey: k.apiKey,
    log: deps.log,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.backoffMs === undefined ? {} : { backoffMs: deps.backoffMs }),
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(deps.paceMs === undefined ? {} : { paceMs: deps.paceMs }),
  });
  return { client, key: k };
}

/** Tells the notifier about new runs; a failing notifier never fails the sync. */
export async function announce(deps: IntervalsDeps, runs: readonly Run[]): Promise<void> {
  if (runs.length === 0) return;
  try {
    if (deps.notify) await deps.notify(runs);
    else await notifyNewRuns(deps, runs);
  } catch (e) {
    deps.log.warn('notifying about new runs failed', { error: e as Error });
  }
}

import { DateTime } from 'luxon';
import type { IntervalsActivity } from '../../importers/intervals-api.ts';
import type { Run } from '../model.ts';
import { applyActivity, removeActivity } from './apply.ts';
import { SETTINGS, announce, openClient, type IntervalsDeps } from './deps.ts';
import {
  IntervalsAborted,
  IntervalsPayloadError,
  IntervalsUnavailableError,
  LIST_LIMIT,
} from './http.ts';
import { IntervalsNotConnectedError } from './key.ts';

/** Activities this recent are listed again on every sync, to notice edits and deletions (days). */
export const RECHECK_DAYS = 30;
/** Where a first sync without `--since` starts: intervals.icu keeps history from any year. */
export const HISTORY_FROM = '2000-01-01';

/** Sync progress, in the `settings` table. */
export interface IntervalsSyncState {
  /** Local date-time up to which every activity was listed: later syncs list from here. */
  listedUpTo: string | null;
  /** An unfinished history sync: listing goes on down from `cursor` to `from` (local). */
  backfill: { from: string; cursor: string } | null;
  /** The oldest local date the history was listed from. */
  historyFrom: string | null;
  lastSyncAt: string | null;
  lastResult: IntervalsSyncSummary | null;
}

/** The `intervals sync --json` document (DESIGN §4), with more detail than the contract's keys. */
export interface IntervalsSyncResult {
  /** New runs stored. */
  imported: number;
  /** Activities added as another source of a run already stored (inbox, Strava). */
  merged: number;
  /** Runs changed because the activity's summary was edited on intervals.icu. */
  updated: number;
  /** Runs removed (deleted upstream with no other source, or no longer a run). */
  deleted: number;
  /** Activities seen for the first time that are not runs, or Strava stubs. */
  skipped: { activityId: string; reason: string }[];
  failed: { activityId: string; error: string }[];
  /** Strava stubs seen for the first time in this sync. */
  stravaStubs: number;
  /** Requests sent to intervals.icu (retries included). */
  apiCalls: number;
  /** Every window was listed to its end; false when the sync stopped early (progress saved). */
  complete: boolean;
  stopped: { reason: string; resumeAfter: string | null } | null;
}

export type IntervalsSyncSummary = Omit<IntervalsSyncResult, 'skipped' | 'failed'> & {
  skipped: number;
  failed: number;
};

export interface IntervalsSyncOptions {
  /** List from this local date (YYYY-MM-DD): the first sync's start, or a re-check from there. */
  since?: string;
  /** After each page: activities handled so far and the local date listing has reached. */
  onProgress?: (processed: number, reached: string) => void;
  limit?: number;
}

export function readSyncState(deps: Pick<IntervalsDeps, 'store'>): IntervalsSyncState {
  return (
    deps.store.settings.get<IntervalsSyncState>(SETTINGS.sync) ?? {
      listedUpTo: null,
      backfill: null,
      historyFrom: null,
      lastSyncAt: null,
      lastResult: null,
    }
  );
}

/** The local date-time a second before `text` (a page boundary that did not move). */
const secondBefore = (text: string): string =>
  DateTime.fromISO(text, { zone: 'UTC' }).minus({ seconds: 1 }).toFormat("yyyy-MM-dd'T'HH:mm:ss");

const secondAfter = (text: string): string =>
  DateTime.fromISO(text, { zone: 'UTC' }).plus({ seconds: 1 }).toFormat("yyyy-MM-dd'T'HH:mm:ss");

/**
 * Incremental and history sync in one. intervals.icu lists a window of local dates newest
 * first; a window is read in pages of {@link LIST_LIMIT}, each page's oldest start the next
 * page's newest bound (that activity is listed twice: known, it costs nothing). A first sync
 * lists the whole history (or from `--since`), saving its cursor after every page, so a stop
 * resumes where it was; later syncs list from the last sync's end minus {@link RECHECK_DAYS},
 * so edits and deletions of recent activities are seen. Only new runs cost a request each (their
 * original file); the rest costs one request per page.
 */
export async function syncIntervals(
  deps: IntervalsDeps,
  opts: IntervalsSyncOptions = {},
): Promise<IntervalsSyncResult> {
  const { client, key } = openClient(deps);
  const limit = opts.limit ?? LIST_LIMIT;
  const zone = deps.config.timezone;
  const nowLocal = DateTime.fromJSDate(deps.now(), { zone });
  // A day ahead: intervals.icu's idea of the athlete's zone may differ from ours.
  const newest = `${nowLocal.plus({ days: 1 }).toISODate()}T23:59:59`;
  let state = readSyncState(deps);
  const save = (next: Partial<IntervalsSyncState>) => {
    state = { ...state, ...next };
    deps.store.settings.set(SETTINGS.sync, state, deps.now().toISOString());
  };
  const result: IntervalsSyncResult = {
    imported: 0,
    merged: 0,
    updated: 0,
    deleted: 0,
    skipped: [],
    failed: [],
    stravaStubs: 0,
    apiCalls: 0,
    complete: false,
    stopped: null,
  };
  const newRuns: Run[] = [];
  let processed = 0;

  const handle = async (a: IntervalsActivity) => {
    const outcome = await applyActivity(deps, client, a);
    switch (outcome.kind) {
      case 'imported':
        result.imported += outcome.runs.length;
        newRuns.push(...outcome.runs);
        break;
      case 'merged':
        result.merged++;
        break;
      case 'updated':
        result.updated++;
        break;
      case 'removed':
        if (outcome.runDeleted) result.deleted++;
        else result.updated++;
        result.skipped.push({ activityId: a.id, reason: outcome.reason });
        break;
      case 'skipped':
        if (outcome.firstTime) result.skipped.push({ activityId: a.id, reason: outcome.reason });
        break;
      case 'stub':
        if (outcome.firstTime) {
          result.stravaStubs++;
          result.skipped.push({
            activityId: a.id,
            reason: 'came from Strava (not available via the API)',
          });
        }
        break;
      case 'failed':
        result.failed.push({ activityId: a.id, error: outcome.error });
        break;
      case 'unchanged':
        break;
    }
    processed++;
  };

  /** Lists [oldest, upper] to its end; then what was stored there and is gone was deleted. */
  const listWindow = async (
    oldest: string,
    upper: string,
    afterPage: (nextUpper: string) => void = () => {},
  ) => {
    const top = upper;
    let lower = oldest;
    const listed = new Set<string>();
    let unnamed = false;
    for (;;) {
      const page = await client.listActivities(key.athleteId, {
        oldest: lower,
        newest: upper,
        limit,
      });
      for (const bad of page.malformed) {
        if (bad.id !== null) listed.add(bad.id);
        else unnamed = true;
        result.failed.push({ activityId: bad.id ?? `listed before ${upper}`, error: bad.error });
      }
      for (const a of page.activities) {
        listed.add(a.id);
        await handle(a);
      }
      const starts = page.activities.map((a) => a.start_date_local ?? '').filter(Boolean);
      const min = starts.reduce((m, s) => (s < m ? s : m), upper);
      const max = starts.reduce((m, s) => (s > m ? s : m), lower);
      // Documented as newest first; should a page come oldest first, the lower bound moves up.
      const ascending = starts.length > 1 && (starts[0] ?? '') < (starts.at(-1) ?? '');
      opts.onProgress?.(processed, (ascending ? max : min).slice(0, 10));
      if (page.size < limit) break;
      if (ascending) {
        const next = max > lower ? max : secondAfter(lower);
        if (next > upper) break;
        lower = next;
        continue;
      }
      const next = min < upper ? min : secondBefore(upper);
      if (next < lower) break;
      upper = next;
      afterPage(upper);
    }
    if (unnamed) return;
    for (const row of deps.store.intervals.between(oldest, top)) {
      if (listed.has(row.activityId)) continue;
      if (removeActivity(deps, row.activityId).runDeleted) result.deleted++;
    }
  };

  try {
    if (state.listedUpTo === null && state.backfill === null) {
      // The first sync: the whole history, newest first (recent runs are in first).
      const from = opts.since ?? HISTORY_FROM;
      save({ listedUpTo: newest, backfill: { from, cursor: newest }, historyFrom: from });
    } else if (state.listedUpTo !== null) {
      const back = DateTime.fromISO(state.listedUpTo, { zone: 'UTC' })
        .minus({ days: RECHECK_DAYS })
        .toISODate();
      const from = opts.since !== undefined && opts.since < (back ?? '') ? opts.since : back;
      await listWindow(from ?? HISTORY_FROM, newest);
      const older = state.historyFrom === null || (from ?? '') < state.historyFrom;
      save({ listedUpTo: newest, ...(older && from ? { historyFrom: from } : {}) });
    }
    const bf = state.backfill;
    if (bf) {
      await listWindow(bf.from, bf.cursor, (cursor) => save({ backfill: { ...bf, cursor } }));
      save({ backfill: null });
    }
    result.complete = true;
  } catch (e) {
    if (e instanceof IntervalsUnavailableError) {
      result.stopped = { reason: e.message, resumeAfter: e.resumeAt?.toISOString() ?? null };
    } else if (e instanceof IntervalsPayloadError || e instanceof IntervalsAborted) {
      result.stopped = { reason: e.message, resumeAfter: null };
    } else {
      throw e;
    }
  } finally {
    result.apiCalls = client.apiCalls;
  }
  const nowIso = deps.now().toISOString();
  const { skipped, failed, ...rest } = result;
  save({
    lastSyncAt: nowIso,
    lastResult: { ...rest, skipped: skipped.length, failed: failed.length },
  });
  await announce(deps, newRuns);
  return result;
}

/**
 * The daemon's `INTERVALS_SYNC_CRON` job: a sync when connected, null when not. Never throws:
 * failures are logged (one line per sync, Strava stubs as a count), progress is saved.
 */
export async function scheduledIntervalsSync(
  deps: IntervalsDeps,
): Promise<IntervalsSyncResult | null> {
  try {
    const r = await syncIntervals(deps);
    deps.log.info('intervals.icu sync', {
      imported: r.imported,
      merged: r.merged,
      updated: r.updated,
      deleted: r.deleted,
      skipped: r.skipped.length,
      ...(r.stravaStubs > 0 ? { stravaStubs: r.stravaStubs } : {}),
      failed: r.failed.length,
      apiCalls: r.apiCalls,
      complete: r.complete,
      ...(r.stopped ? { stopped: r.stopped.reason } : {}),
    });
    return r;
  } catch (e) {
    if (e instanceof IntervalsNotConnectedError) return null;
    deps.log.error('intervals.icu sync failed', { error: e as Error });
    return null;
  }
}

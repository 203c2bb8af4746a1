import type { Run } from '../model.ts';
import { applyActivity, removeActivity, type ApplyContext } from './apply.ts';
import type { RateLimitState } from './budget.ts';
import type { StravaActivity } from '../../importers/strava-api.ts';
import { stravaConfigured } from '../config/index.ts';
import {
  RateLimitStop,
  StravaInactiveError,
  StravaPayloadError,
  StravaUnavailableError,
} from './http.ts';
import { logInactive, markInactive, noteActive } from './inactive.ts';
import { mapStravaShoes } from './gear.ts';
import { SETTINGS, announce, openSession, type StravaDeps } from './session.ts';
import { NotConnectedError } from './tokens.ts';

/** Runs this recent get their streams fetched for form analysis (days before now). */
export const STREAMS_WINDOW_DAYS = 42;
/** Activities this recent are listed again on every sync, to notice edits and deletions (days). */
export const RECHECK_DAYS = 7;
/** Strava's largest page. */
export const PER_PAGE = 200;

const DAY_S = 86_400;

/** Sync progress, in the `settings` table. */
export interface SyncState {
  /**
   * Start (unix s) of the newest activity processed by a listing, oldest first: everything up
   * to it is stored, so an interrupted backfill resumes after it.
   */
  cursor: number | null;
  /** A sync has listed every activity once. */
  backfillComplete: boolean;
  lastSyncAt: string | null;
  lastResult: SyncSummary | null;
}

export interface SyncOptions {
  streamsWindowDays?: number;
  recheckDays?: number;
  perPage?: number;
  /** After each page: activities processed so far. */
  onProgress?: (processed: number) => void;
}

/** The `strava sync --json` document (DESIGN §4). */
export interface SyncResult {
  /** New runs stored. */
  imported: number;
  /** Activities added as a second source of a run already stored from a FIT file. */
  merged: number;
  /** Runs changed because the activity was edited on Strava. */
  updated: number;
  /** Runs removed (deleted on Strava, or no longer a run). */
  deleted: number;
  /** Activities seen for the first time that are not runs. */
  skipped: { id: string; reason: string }[];
  failed: { id: string; error: string }[];
  /** API requests sent (each counts against Strava's limits). */
  apiCalls: number;
  /** Everything was listed; false when the sync stopped early (progress is saved). */
  complete: boolean;
  /** Why it stopped early, and when the next sync can go on. */
  stopped: { reason: string; resumeAfter: string | null } | null;
  rateLimit: RateLimitState | null;
}

export type SyncSummary = Omit<SyncResult, 'skipped' | 'failed'> & {
  skipped: number;
  failed: number;
};

export function readSyncState(deps: Pick<StravaDeps, 'store'>): SyncState {
  return (
    deps.store.settings.get<SyncState>(SETTINGS.sync) ?? {
      cursor: null,
      backfillComplete: false,
      lastSyncAt: null,
      lastResult: null,
    }
  );
}

/**
 * Backfill and incremental sync in one: lists activities after the cursor, oldest first, 200 per
 * page (the re-check window of {@link RECHECK_DAYS} is always listed again, in the same pages), so
 * old history costs one request per 200 activities and only runs inside the streams window cost
 * one more each. Each activity is stored with the cursor in one transaction: an interrupted sync
 * (rate limit, network) resumes where it stopped and never imports twice. When the listing
 * completes, activities seen inside it that Strava no longer lists were deleted there.
 */
export async function syncStrava(deps: StravaDeps, opts: SyncOptions = {}): Promise<SyncResult> {
  const session = openSession(deps);
  const perPage = opts.perPage ?? PER_PAGE;
  const nowS = Math.floor(deps.now().getTime() / 1000);
  const ctx: ApplyContext = {
    deps,
    session,
    streamsSinceUnix: nowS - (opts.streamsWindowDays ?? STREAMS_WINDOW_DAYS) * DAY_S,
  };
  const state = readSyncState(deps);
  const recheckFrom = nowS - (opts.recheckDays ?? RECHECK_DAYS) * DAY_S;
  // The cursor's own activity is listed again (cheap: it is known) in case two share a second.
  const after = Math.max(0, Math.min(state.cursor === null ? 0 : state.cursor - 1, recheckFrom));
  const result: SyncResult = {
    imported: 0,
    merged: 0,
    updated: 0,
    deleted: 0,
    skipped: [],
    failed: [],
    apiCalls: 0,
    complete: false,
    stopped: null,
    rateLimit: null,
  };
  const newRuns: Run[] = [];
  const withGear: StravaActivity[] = [];
  const listed = new Set<string>();
  let cursor = state.cursor;
  const saveCursor = (startUnix: number) => {
    cursor = Math.max(cursor ?? 0, startUnix);
    deps.store.settings.set(SETTINGS.sync, { ...state, cursor }, deps.now().toISOString());
  };
  let processed = 0;
  /** A list item without a readable id: which activities were listed is not known for sure. */
  let unnamed = false;
  try {
    for (let page = 1; ; page++) {
      const { activities, malformed, size } = await session.api.listActivities({
        after,
        page,
        perPage,
      });
      for (const bad of malformed) {
        // Listed, so not taken for deleted; reported, so the runner knows one was not read.
        if (bad.id !== null) listed.add(bad.id);
        else unnamed = true;
        result.failed.push({ id: bad.id ?? `page ${page}`, error: bad.error });
        processed++;
      }
      for (const a of activities) {
        const id = String(a.id);
        listed.add(id);
        if (a.gear_id) withGear.push(a);
        const startUnix = Math.round(Date.parse(a.start_date) / 1000);
        const outcome = await applyActivity(ctx, a, () => saveCursor(startUnix));
        switch (outcome.kind) {
          case 'imported':
            result.imported++;
            newRuns.push(outcome.run);
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
            result.skipped.push({ id, reason: outcome.reason });
            break;
          case 'skipped':
            if (outcome.firstTime) result.skipped.push({ id, reason: outcome.reason });
            break;
          case 'failed':
            result.failed.push({ id, error: outcome.error });
            break;
          case 'unchanged':
            break;
        }
        processed++;
      }
      opts.onProgress?.(processed);
      if (size < perPage) break;
    }
    // Every activity after `after` was listed: the ones seen before but missing were deleted.
    for (const row of unnamed ? [] : deps.store.strava.startingAfter(after)) {
      if (listed.has(row.activityId)) continue;
      if (removeActivity(deps, row.activityId).runDeleted) result.deleted++;
    }
    // The pairs named by the runs' gear ids (one GET /athlete, only when one is new).
    await mapStravaShoes(deps, session.api, withGear);
    result.complete = true;
    noteActive(deps);
  } catch (e) {
    if (e instanceof StravaInactiveError) {
      // Every call is refused: stop, keep the cursor and every run as they are.
      markInactive(deps);
      throw e;
    }
    if (e instanceof RateLimitStop) {
      result.stopped = { reason: e.message, resumeAfter: e.resumeAt.toISOString() };
    } else if (e instanceof StravaUnavailableError || e instanceof StravaPayloadError) {
      result.stopped = { reason: e.message, resumeAfter: null };
    } else {
      throw e;
    }
  } finally {
    result.apiCalls = session.transport.apiCalls;
    result.rateLimit = session.saveBudget();
  }
  const nowIso = deps.now().toISOString();
  const { skipped, failed, ...rest } = result;
  deps.store.settings.set(
    SETTINGS.sync,
    {
      cursor,
      backfillComplete: state.backfillComplete || result.complete,
      lastSyncAt: nowIso,
      lastResult: { ...rest, skipped: skipped.length, failed: failed.length },
    } satisfies SyncState,
    nowIso,
  );
  await announce(deps, newRuns);
  return result;
}

/**
 * The daemon's `STRAVA_SYNC_CRON` job: a sync when connected (waiting up to `maxWaitMs` for a
 * rate-limit window), null when Strava is not configured or connected. Never throws: failures are
 * logged, and progress is saved for the next run.
 */
export async function scheduledSync(deps: StravaDeps): Promise<SyncResult | null> {
  if (!stravaConfigured(deps.config)) return null;
  try {
    const result = await syncStrava(deps);
    deps.log.info('Strava sync', {
      imported: result.imported,
      updated: result.updated,
      deleted: result.deleted,
      apiCalls: result.apiCalls,
      complete: result.complete,
      ...(result.stopped ? { stopped: result.stopped.reason } : {}),
    });
    return result;
  } catch (e) {
    if (e instanceof NotConnectedError) return null;
    if (e instanceof StravaInactiveError) {
      logInactive(deps, 'Strava sync');
      return null;
    }
    deps.log.error('Strava sync failed', { error: e as Error });
    return null;
  }
}

import type { StravaActivity, StravaStreams } from '../../importers/strava-api.ts';
import strava, { isStravaRun, sportTypeOf, stravaRun } from '../../importers/strava.ts';
import type { ImportContext } from '../../importers/types.ts';
import type { Run, RunId } from '../model.ts';
import type { StravaActivityRow } from '../store/index.ts';
import { StravaPayloadError } from './http.ts';
import type { StravaDeps, StravaSession } from './session.ts';

/** What one activity did to the store. */
export type ActivityOutcome =
  | { kind: 'imported'; run: Run }
  /** Added as a second source of a run already stored (from a FIT file). */
  | { kind: 'merged'; runId: RunId }
  | { kind: 'updated'; runId: RunId }
  | { kind: 'unchanged' }
  | { kind: 'skipped'; reason: string; firstTime: boolean }
  /** It was a run and is not any more (its type changed): its Strava source was removed. */
  | { kind: 'removed'; runDeleted: boolean; reason: string }
  | { kind: 'failed'; error: string };

export interface ApplyContext {
  deps: StravaDeps;
  session: StravaSession;
  /** Runs starting at or after this (unix s) get a streams request (the form window). */
  streamsSinceUnix: number;
}

export const importContext = (deps: StravaDeps): ImportContext => ({
  timezone: deps.config.timezone,
});

const startUnixOf = (a: StravaActivity): number => Math.round(Date.parse(a.start_date) / 1000);

/**
 * Brings one activity (from a list page or a detail) into the store: imports a new run (with
 * streams when it is recent and no FIT record already has samples), notices edits of a known
 * one, skips what is not a run and removes a run whose type changed. `andThen` runs inside the
 * same transaction as the store writes (the sync cursor), so progress and data never disagree.
 */
export async function applyActivity(
  ctx: ApplyContext,
  a: StravaActivity,
  andThen: () => void = () => {},
): Promise<ActivityOutcome> {
  const { store } = ctx.deps;
  const { api } = ctx.session;
  const table = store.strava;
  const now = ctx.deps.now().toISOString();
  const id = String(a.id);
  const startUnix = startUnixOf(a);
  if (!Number.isFinite(startUnix)) {
    return { kind: 'failed', error: `activity ${id} has no valid start_date` };
  }
  const known = table.get(id);
  const row = (
    status: StravaActivityRow['status'],
    reason: string | null,
    streams: StravaActivityRow['streams'],
  ): StravaActivityRow => ({
    activityId: id,
    startUnix,
    name: a.name ?? known?.name ?? null,
    sportType: sportTypeOf(a),
    private: a.private ?? known?.private ?? false,
    status,
    reason,
    streams,
  });
  const source = { source: 'strava', sourceId: id } as const;

  if (!isStravaRun(a)) {
    const reason = `not a run (${sportTypeOf(a)})`;
    return store.batch(() => {
      const removal = table.removeSource(source, now);
      table.put(row('skipped', reason, known?.streams ?? 'none'), now);
      andThen();
      if (removal) return { kind: 'removed', runDeleted: removal.runDeleted, reason } as const;
      const firstTime = known?.status !== 'skipped' || known.reason !== reason;
      return { kind: 'skipped', reason, firstTime } as const;
    });
  }

  const ictx = importContext(ctx.deps);
  const wantStreams = a.manual !== true && startUnix >= ctx.streamsSinceUnix;
  // Streams that are not streams cost the form summary, never the run: logged, then none.
  const fetchStreams = async (): Promise<StravaStreams | null> => {
    try {
      return await api.streams(id);
    } catch (e) {
      if (!(e instanceof StravaPayloadError)) throw e;
      ctx.deps.log.warn('Strava streams not read; the run is stored without them', {
        activity: id,
        reason: e.message,
      });
      return null;
    }
  };
  const runId = store.runs.runIdOfSource(source);
  if (runId) {
    const before = table.sourceData(source);
    const mapped = stravaRun(a, ictx);
    // device_name only comes with the detail: a list item's null does not erase it.
    const next: Run = { ...mapped, device: mapped.device ?? before?.device ?? null };
    const changed = JSON.stringify(before) !== JSON.stringify(next);
    let streamsState = known?.streams ?? 'none';
    let streams: StravaStreams | null = null;
    if (streamsState === 'none' && wantStreams && !store.runs.hasForm(runId)) {
      streams = await fetchStreams();
      streamsState = streams ? 'fetched' : 'missing';
    }
    return store.batch(() => {
      const current = changed ? table.updateSource(next, now) : runId;
      const form = streams ? strava.read({ activity: a, streams }, ictx) : null;
      const summary = form?.kind === 'runs' ? form.runs[0]?.form : null;
      if (summary && current) store.runs.putForm(current, next, summary);
      const series = form?.kind === 'runs' ? form.runs[0]?.series : null;
      if (series && current && !store.series.has(current)) store.series.put(current, next, series);
      table.put(row('run', null, streamsState), now);
      andThen();
      return changed
        ? ({ kind: 'updated', runId: current ?? runId } as const)
        : ({ kind: 'unchanged' } as const);
    });
  }

  const mapped = stravaRun(a, ictx);
  const match = ctx.deps.store.sameRun(mapped);
  const needStreams = wantStreams && !(match && store.runs.hasForm(match.id));
  const streams = needStreams ? await fetchStreams() : null;
  const outcome = strava.read({ activity: a, streams }, ictx);
  if (outcome.kind === 'failed') return { kind: 'failed', error: outcome.error };
  if (outcome.kind === 'skipped')
    return { kind: 'skipped', reason: outcome.reason, firstTime: true };
  const imported = outcome.runs[0];
  if (!imported) return { kind: 'failed', error: `activity ${id}: nothing to import` };
  return store.batch(() => {
    const saved = store.saveRun(imported, null, now);
    table.put(row('run', null, needStreams ? (streams ? 'fetched' : 'missing') : 'none'), now);
    andThen();
    if (saved.status === 'duplicate') return { kind: 'merged', runId: saved.of } as const;
    if (saved.supersedes !== null) return { kind: 'merged', runId: saved.run.id } as const;
    return { kind: 'imported', run: saved.run } as const;
  });
}

/** Removes an activity deleted on Strava (or no longer visible): its source, its run if only Strava's. */
export function removeActivity(
  deps: Pick<StravaDeps, 'store' | 'now'>,
  activityId: string,
): { runDeleted: boolean; hadRun: boolean } {
  const now = deps.now().toISOString();
  const table = deps.store.strava;
  return deps.store.batch(() => {
    const removal = table.removeSource({ source: 'strava', sourceId: activityId }, now);
    table.delete(activityId);
    return { runDeleted: removal?.runDeleted ?? false, hadRun: removal !== null };
  });
}

/**
 * Deletes what came only from Strava (disconnect, deauthorization; Strava's API terms): every
 * Strava source, the runs that had no other, the activities seen and the sync state. Runs that
 * also came from FIT files stay.
 */
export function purgeStravaData(
  deps: Pick<StravaDeps, 'store' | 'now'>,
  settingsKeys: readonly string[],
): { runsDeleted: number; sourcesRemoved: number } {
  const now = deps.now().toISOString();
  const table = deps.store.strava;
  return deps.store.batch(() => {
    let runsDeleted = 0;
    const ids = table.sourceIds();
    for (const id of ids) {
      if (table.removeSource({ source: 'strava', sourceId: id }, now)?.runDeleted) runsDeleted++;
    }
    table.clear();
    for (const key of settingsKeys) deps.store.settings.delete(key);
    return { runsDeleted, sourcesRemoved: ids.length };
  });
}

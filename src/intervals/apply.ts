import { createHash } from 'node:crypto';
import intervals, { intervalsRun, isIntervalsRun, utcSeconds } from '../../importers/intervals.ts';
import { isStravaStub, type IntervalsActivity } from '../../importers/intervals-api.ts';
import { isClaimed } from '../../importers/registry.ts';
import type { ImportContext } from '../../importers/types.ts';
import { gunzipBounded, InputRefused } from '../import/bounded.ts';
import { decodeJob } from '../import/decode.ts';
import type { ImportedRun, Run, RunId } from '../model.ts';
import type { IntervalsActivityRow } from '../store/index.ts';
import type { IntervalsDeps } from './deps.ts';
import { IntervalsPayloadError, type IntervalsClient } from './http.ts';

/** The reason every Strava stub is skipped with (said once in `intervals status`). */
export const STRAVA_STUB_REASON =
  "came into intervals.icu from Strava: intervals.icu may not hand out Strava activities through its API (Strava's terms); import it from Strava instead";

/** What one activity did to the store. */
export type ActivityOutcome =
  | { kind: 'imported'; runs: Run[] }
  /** Added as another source of a run already stored (from a FIT file, Strava, the inbox). */
  | { kind: 'merged'; runId: RunId }
  | { kind: 'updated'; runId: RunId }
  | { kind: 'unchanged' }
  | { kind: 'skipped'; reason: string; firstTime: boolean }
  | { kind: 'stub'; firstTime: boolean }
  /** It was a run and is not any more (its type changed): its intervals.icu source was removed. */
  | { kind: 'removed'; runDeleted: boolean; reason: string }
  | { kind: 'failed'; error: string };

/** Hash of the summary as listed: a changed hash is an edit upstream. */
export function summaryHash(a: IntervalsActivity): string {
  const entries = Object.entries(a)
    .filter(([, v]) => v !== null && v !== undefined)
    .sort(([x], [y]) => (x < y ? -1 : 1));
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 32);
}

/**
 * The file name the registry is asked with, from the bytes (never the activity's say): a FIT
 * header (".FIT" at byte 8), else XML holding `<gpx` or `<TrainingCenterDatabase`; null when
 * it is none of them.
 */
export function sniffFileName(bytes: Uint8Array): string | null {
  if (bytes.length >= 12 && Buffer.from(bytes.subarray(8, 12)).toString('latin1') === '.FIT') {
    return 'activity.fit';
  }
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('utf8');
  if (/<(\w+:)?gpx[\s>]/.test(head)) return 'activity.gpx';
  if (/<(\w+:)?TrainingCenterDatabase[\s>]/.test(head)) return 'activity.tcx';
  return null;
}

const isGzip = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** The file's runs, relabelled as this activity's (`intervals:<id>`, later legs `<id>-2`, …). */
function asIntervals(runs: ImportedRun[], activityId: string): ImportedRun[] {
  return runs.map((r, i) => {
    const sourceId = i === 0 ? activityId : `${activityId}-${i + 1}`;
    const run: Run = {
      ...r.run,
      id: `intervals:${sourceId}` as RunId,
      source: 'intervals',
      sourceId,
      sources: [{ source: 'intervals', sourceId }],
    };
    return { ...r, run };
  });
}

type FileRead =
  | { kind: 'runs'; runs: ImportedRun[]; sha256: string }
  | { kind: 'skipped'; reason: string }
  | { kind: 'none'; why: string };

/** Fetches and reads the original file through the registry's importers (one request). */
async function readFile(
  client: IntervalsClient,
  a: IntervalsActivity,
  ictx: ImportContext,
): Promise<FileRead> {
  let bytes: Uint8Array | null;
  try {
    bytes = await client.file(a.id);
  } catch (e) {
    // A file too large to be an activity costs the file, not the run: the summary stands in.
    if (e instanceof IntervalsPayloadError) return { kind: 'none', why: e.message };
    throw e;
  }
  if (bytes === null || bytes.length === 0) return { kind: 'none', why: 'no original file' };
  if (isGzip(bytes)) {
    try {
      bytes = await gunzipBounded(bytes);
    } catch (e) {
      if (e instanceof InputRefused) return { kind: 'none', why: e.message };
      return { kind: 'none', why: `the file is not valid gzip (${(e as Error).message})` };
    }
  }
  const name = sniffFileName(bytes);
  if (name === null || !isClaimed(name)) {
    return { kind: 'none', why: `no importer reads its file${name ? ` (${name.slice(9)})` : ''}` };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const out = decodeJob({ file: name, bytes, sha256 }, ictx);
  if (out.kind === 'runs' && out.runs.length > 0) {
    return { kind: 'runs', runs: asIntervals(out.runs, a.id), sha256 };
  }
  if (out.kind === 'skipped') return { kind: 'skipped', reason: `its file: ${out.reason}` };
  return { kind: 'none', why: out.kind === 'failed' ? out.error : 'its file holds no run' };
}

/** Every run source this activity gave (its first leg and any later ones). */
function sourcesOf(deps: IntervalsDeps, id: string): string[] {
  return deps.store.intervals.sourceIds().filter((s) => s === id || s.startsWith(`${id}-`));
}

/**
 * Brings one listed activity into the store: a Strava stub is noted, a known activity whose
 * summary did not change costs nothing, a new run is read from its original file (one request)
 * or, without one, from its summary; an edited summary-only run is updated; a run whose type
 * changed loses its intervals.icu source. `andThen` runs in the same transaction as the writes
 * (the sync cursor), so progress and data never disagree.
 */
export async function applyActivity(
  deps: IntervalsDeps,
  client: IntervalsClient,
  a: IntervalsActivity,
  andThen: () => void = () => {},
): Promise<ActivityOutcome> {
  const { store } = deps;
  const table = store.intervals;
  const now = deps.now().toISOString();
  const id = a.id;
  const known = table.get(id);
  const hash = summaryHash(a);
  const startLocal = a.start_date_local ?? '';
  const row = (
    status: IntervalsActivityRow['status'],
    reason: string | null,
    via: IntervalsActivityRow['via'],
  ): IntervalsActivityRow => ({
    activityId: id,
    startLocal,
    type: a.type ?? null,
    status,
    reason,
    summaryHash: hash,
    via,
  });

  if (isStravaStub(a)) {
    if (known?.status === 'stub' && known.startLocal === startLocal) return { kind: 'unchanged' };
    store.batch(() => {
      table.put(row('stub', STRAVA_STUB_REASON, 'none'), now);
      andThen();
    });
    return { kind: 'stub', firstTime: known?.status !== 'stub' };
  }
  const hasRun = sourcesOf(deps, id).length > 0;
  if (known && known.summaryHash === hash && (known.status !== 'run' || hasRun)) {
    return { kind: 'unchanged' };
  }
  const unixS = utcSeconds(a.start_date);
  if (unixS === null) return { kind: 'failed', error: `activity ${id} has no valid start_date` };

  if (!isIntervalsRun(a)) {
    const reason = `not a run (${a.type ?? 'no type'})`;
    return store.batch(() => {
      let runDeleted = false;
      let removed = false;
      for (const s of sourcesOf(deps, id)) {
        const r = store.strava.removeSource({ source: 'intervals', sourceId: s }, now);
        removed ||= r !== null;
        runDeleted ||= r?.runDeleted ?? false;
      }
      table.put(row('skipped', reason, 'none'), now);
      andThen();
      if (removed) return { kind: 'removed', runDeleted, reason } as const;
      const firstTime = known?.status !== 'skipped' || known.reason !== reason;
      return { kind: 'skipped', reason, firstTime } as const;
    });
  }

  const ictx: ImportContext = { timezone: deps.config.timezone };
  if (known?.status === 'run' && hasRun) {
    // The watch's file is the record: an edit of the summary does not change a run read from it.
    if (known.via === 'file') {
      store.batch(() => {
        table.put({ ...row('run', null, 'file') }, now);
        andThen();
      });
      return { kind: 'unchanged' };
    }
    const next = intervalsRun(a, unixS, ictx);
    const before = store.strava.sourceData(next);
    // A renamed activity changes the hash, not the run.
    const changed = JSON.stringify(before) !== JSON.stringify(next);
    return store.batch(() => {
      const runId = changed ? store.strava.updateSource(next, now) : null;
      table.put(row('run', null, 'summary'), now);
      andThen();
      return runId ? ({ kind: 'updated', runId } as const) : ({ kind: 'unchanged' } as const);
    });
  }

  let runs: ImportedRun[];
  let sha256: string | null = null;
  let via: IntervalsActivityRow['via'] = 'summary';
  const file = a.source === 'MANUAL' ? null : await readFile(client, a, ictx);
  if (file?.kind === 'skipped') {
    store.batch(() => {
      table.put(row('skipped', file.reason, 'none'), now);
      andThen();
    });
    return { kind: 'skipped', reason: file.reason, firstTime: true };
  }
  if (file?.kind === 'runs') {
    runs = file.runs;
    sha256 = file.sha256;
    via = 'file';
  } else {
    if (file?.kind === 'none' && file.why !== 'no original file') {
      deps.log.warn('intervals.icu activity read from its summary', {
        activity: id,
        why: file.why,
      });
    }
    const out = intervals.read({ activity: a }, ictx);
    if (out.kind === 'failed') return { kind: 'failed', error: out.error };
    if (out.kind === 'skipped') return { kind: 'skipped', reason: out.reason, firstTime: true };
    runs = out.runs;
  }
  return store.batch(() => {
    const imported: Run[] = [];
    let mergedInto: RunId | null = null;
    for (const r of runs) {
      const saved = store.saveRun(r, sha256, now);
      if (saved.status === 'duplicate') mergedInto ??= saved.of;
      else if (saved.supersedes !== null) mergedInto ??= saved.run.id;
      else imported.push(saved.run);
    }
    table.put(row('run', null, via), now);
    andThen();
    if (imported.length > 0) return { kind: 'imported', runs: imported } as const;
    return { kind: 'merged', runId: mergedInto as RunId } as const;
  });
}

/** Removes an activity deleted upstream: its intervals.icu sources, its run if only theirs. */
export function removeActivity(
  deps: Pick<IntervalsDeps, 'store' | 'now'>,
  activityId: string,
): { runDeleted: boolean; hadRun: boolean } {
  const now = deps.now().toISOString();
  const { store } = deps;
  return store.batch(() => {
    let runDeleted = false;
    let hadRun = false;
    for (const s of store.intervals.sourceIds()) {
      if (s !== activityId && !s.startsWith(`${activityId}-`)) continue;
      const r = store.strava.removeSource({ source: 'intervals', sourceId: s }, now);
      hadRun ||= r !== null;
      runDeleted ||= r?.runDeleted ?? false;
    }
    store.intervals.delete(activityId);
    return { runDeleted, hadRun };
  });
}

/** Deletes every intervals.icu source, the runs that had no other, and what was seen. */
export function purgeIntervalsData(
  deps: Pick<IntervalsDeps, 'store' | 'now'>,
  settingsKeys: readonly string[],
): { runsDeleted: number; sourcesRemoved: number } {
  const now = deps.now().toISOString();
  const { store } = deps;
  return store.batch(() => {
    let runsDeleted = 0;
    const ids = store.intervals.sourceIds();
    for (const s of ids) {
      if (store.strava.removeSource({ source: 'intervals', sourceId: s }, now)?.runDeleted) {
        runsDeleted++;
      }
    }
    store.intervals.clear();
    for (const key of settingsKeys) store.settings.delete(key);
    return { runsDeleted, sourcesRemoved: ids.length };
  });
}

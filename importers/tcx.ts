import type { ImportedRun, RunWarning } from '../src/model.ts';
import { MAX_SAMPLE_GAP_S } from '../src/load/form-summary.ts';
import { sportVerdict } from './sport.ts';
import {
  MAX_TRACK_POINTS,
  buildTrackRun,
  nothingRecorded,
  num,
  parseFileTime,
  positionsDistanceM,
  type FileTime,
  type TrackActivity,
  type TrackPoint,
} from './track.ts';
import { FILE_CLAIMS } from './names.ts';
import type { FileInput, ImportContext, ImportOutcome, Importer } from './types.ts';
import { XmlStop, readXml } from './xml.ts';

/*
 * TCX (Garmin Training Center XML v2): `Activity@Sport` → `Lap@StartTime` (TotalTimeSeconds,
 * DistanceMeters) → `Track` → `Trackpoint` (Time, Position, DistanceMeters, HeartRateBpm/Value,
 * Cadence, Extensions/TPX/RunCadence and Speed). The start is the first lap's StartTime (Garmin
 * Connect cuts `<Id>` to the minute), distance and timer time the laps' own sums, unless the
 * points run on past the laps (Movescount's unfinished last lap) or the file was cut short.
 * Extensions are matched by local name: the prefix varies (`ns3:`, `ext:`, a default xmlns).
 */

interface TcxLap {
  start: FileTime | null;
  totalTimeS: number | null;
  distanceM: number | null;
  tracks: TrackPoint[][];
}

interface TcxActivity {
  sport: string;
  creator: string | null;
  laps: TcxLap[];
}

interface TcxRead {
  activities: TcxActivity[];
  author: string | null;
  courses: number;
  result: ReturnType<typeof readXml>;
  notTcx: string | null;
}

type Point = TrackPoint & { time: FileTime | null; runCadence: number | null };

function readTcx(bytes: Uint8Array): TcxRead {
  const out: TcxRead = {
    activities: [],
    author: null,
    courses: 0,
    result: { ok: true },
    notTcx: null,
  };
  let root = true;
  let points = 0;
  let pt: Point | null = null;
  let firstTime: FileTime | null = null;
  const activity = (): TcxActivity => {
    let a = out.activities.at(-1);
    if (!a) out.activities.push((a = { sport: '', creator: null, laps: [] }));
    return a;
  };
  const lap = (): TcxLap => {
    const a = activity();
    let l = a.laps.at(-1);
    if (!l) a.laps.push((l = { start: null, totalTimeS: null, distanceM: null, tracks: [] }));
    return l;
  };
  out.result = readXml(bytes, {
    open(el) {
      if (root) {
        root = false;
        if (el.local !== 'TrainingCenterDatabase') {
          out.notTcx = `not a TCX file: its root element is <${el.local}>, not <TrainingCenterDatabase>`;
          throw new XmlStop(out.notTcx);
        }
        return;
      }
      switch (el.local) {
        case 'Activity':
          out.activities.push({ sport: el.attr('Sport') ?? '', creator: null, laps: [] });
          break;
        case 'Lap':
          activity().laps.push({
            start: parseFileTime(el.attr('StartTime') ?? ''),
            totalTimeS: null,
            distanceM: null,
            tracks: [],
          });
          break;
        case 'Track':
          lap().tracks.push([]);
          break;
        case 'Course':
          out.courses++;
          break;
        case 'Trackpoint':
          if (++points > MAX_TRACK_POINTS) {
            throw new XmlStop(`refused: more than ${MAX_TRACK_POINTS.toLocaleString('en')} points`);
          }
          pt = {
            tMs: NaN,
            time: null,
            lat: null,
            lon: null,
            heartRateBpm: null,
            cadence: null,
            runCadence: null,
            distanceM: null,
            speedMps: null,
          };
      }
    },
    close(local, text, parent, grandparent) {
      if (pt) {
        switch (local) {
          case 'Trackpoint': {
            if (pt.time && grandparent !== 'Course' && grandparent !== 'Courses') {
              const l = lap();
              if (l.tracks.length === 0) l.tracks.push([]);
              const { time, runCadence, ...point } = pt;
              firstTime ??= time;
              point.tMs = time.ms;
              // RunCadence (the running extension) first; Polar and Suunto put it in <Cadence>.
              point.cadence = runCadence ?? point.cadence;
              l.tracks.at(-1)?.push(point);
            }
            pt = null;
            break;
          }
          case 'Time':
            if (parent === 'Trackpoint') pt.time = parseFileTime(text);
            break;
          case 'LatitudeDegrees':
            pt.lat = num(text);
            break;
          case 'LongitudeDegrees':
            pt.lon = num(text);
            break;
          case 'DistanceMeters':
            if (parent === 'Trackpoint') pt.distanceM = num(text);
            break;
          case 'Value':
            if (parent === 'HeartRateBpm') pt.heartRateBpm = num(text);
            break;
          case 'Cadence':
            if (parent === 'Trackpoint') pt.cadence = num(text);
            break;
          case 'RunCadence':
            pt.runCadence = num(text);
            break;
          case 'Speed':
            pt.speedMps = num(text);
        }
        return;
      }
      if (parent === 'Lap' && local === 'TotalTimeSeconds') lap().totalTimeS = num(text);
      else if (parent === 'Lap' && local === 'DistanceMeters') lap().distanceM = num(text);
      else if (parent === 'Creator' && local === 'Name' && grandparent === 'Activity') {
        activity().creator = text || null;
      } else if (parent === 'Author' && local === 'Name') out.author = text || null;
    },
  });
  return out;
}

/**
 * Timer time from the points: the time between consecutive points, pauses over 30 s left out
 * (a new Track after a pause starts with such a gap; the second between two tracks counts), s.
 */
function pointsMovingS(tracks: readonly TrackPoint[][]): number {
  let s = 0;
  let prev: TrackPoint | null = null;
  for (const t of tracks) {
    for (const p of t) {
      const dt = prev ? (p.tMs - prev.tMs) / 1000 : 0;
      if (dt > 0 && dt <= MAX_SAMPLE_GAP_S) s += dt;
      prev = p;
    }
  }
  return s;
}

/** How far the points' own distance may pass the laps' before the laps count as incomplete. */
const LAPS_SHORT_FRACTION = 0.02;

/**
 * The distance and timer time of an activity: the laps' sums, unless a lap has none, the file
 * was cut short, or the points' cumulative distance runs on past the laps (Movescount's
 * unfinished last lap); then the points' own.
 */
function totalsOf(
  laps: readonly TcxLap[],
  tracks: readonly TrackPoint[][],
  partial: boolean,
): { distanceM: number | null; movingTimeS: number | null } {
  const lapDistance = laps.reduce((s, l) => s + (l.distanceM ?? 0), 0);
  const lapTime = laps.reduce((s, l) => s + (l.totalTimeS ?? 0), 0);
  const lapsWhole = laps.every((l) => l.distanceM !== null && l.totalTimeS !== null);
  let lastCumulative: number | null = null;
  for (const t of tracks)
    for (const p of t)
      if (p.distanceM !== null) lastCumulative = Math.max(lastCumulative ?? 0, p.distanceM);
  const pointsDistance = lastCumulative ?? positionsDistanceM(tracks);
  const runsOn =
    pointsDistance !== null && pointsDistance > lapDistance * (1 + LAPS_SHORT_FRACTION);
  if (!partial && lapsWhole && lapTime > 0 && !runsOn) {
    return { distanceM: lapDistance, movingTimeS: lapTime };
  }
  const moving = pointsMovingS(tracks);
  return {
    distanceM: pointsDistance ?? (lapDistance > 0 ? lapDistance : null),
    movingTimeS: moving > 0 ? moving : lapTime > 0 ? lapTime : null,
  };
}

function readTcxFile(input: FileInput, ctx: ImportContext): ImportOutcome {
  const { bytes, sha256 } = input;
  if (bytes.length === 0) return { kind: 'failed', error: 'empty file (0 bytes)' };
  const t = readTcx(bytes);
  if (t.notTcx) return { kind: 'failed', error: t.notTcx };
  const pointsOf = (a: TcxActivity) =>
    a.laps.flatMap((l) => l.tracks.filter((tr) => tr.length > 0));
  const anyPoints = t.activities.some((a) => pointsOf(a).length > 0 || a.laps.some((l) => l.start));
  if (!t.result.ok && (!anyPoints || /^refused/.test(t.result.error))) {
    const { error } = t.result;
    return { kind: 'failed', error: /^refused/.test(error) ? error : `damaged TCX file: ${error}` };
  }
  if (t.activities.length === 0) {
    return t.courses > 0
      ? { kind: 'skipped', reason: 'a course (a planned route), not a recorded activity' }
      : { kind: 'skipped', reason: 'no activity in the file (nothing was recorded)' };
  }
  const partial = !t.result.ok;
  const warnings: RunWarning[] = partial ? ['truncated'] : [];
  const runs: ImportedRun[] = [];
  let firstReason: string | null = null;
  for (const a of t.activities) {
    const verdict = sportVerdict([a.sport], [], 'tcx');
    if (verdict.kind !== 'running') {
      firstReason ??= verdict.reason;
      continue;
    }
    const tracks = pointsOf(a);
    const firstPoint = tracks[0]?.[0];
    const lapStart = a.laps.find((l) => l.start !== null)?.start ?? null;
    const start: FileTime | null =
      lapStart ?? (firstPoint ? { ms: firstPoint.tMs, offsetMin: null } : null);
    if (!start) {
      firstReason ??= 'an activity without times (no lap start, no track point with a <Time>)';
      continue;
    }
    const lapEnd = Math.max(
      0,
      ...a.laps.map((l) =>
        l.start && l.totalTimeS !== null ? (l.start.ms - start.ms) / 1000 + l.totalTimeS : 0,
      ),
    );
    const n = runs.length;
    const activity: TrackActivity = {
      source: 'tcx',
      sourceId: n === 0 ? sha256 : `${sha256}-${n + 1}`,
      segments: tracks,
      start,
      ...totalsOf(a.laps, tracks, partial),
      // A cut file's laps may promise more than was read.
      minElapsedS: partial ? 0 : lapEnd,
      device: a.creator ?? t.author,
      subSport: verdict.subSport,
      partial,
      warnings,
    };
    const empty = nothingRecorded(activity);
    if (empty) {
      firstReason ??= empty;
      continue;
    }
    runs.push(buildTrackRun(activity, ctx));
  }
  if (runs.length > 0) return { kind: 'runs', runs };
  return { kind: 'skipped', reason: firstReason ?? 'no running activity in the file' };
}

export default {
  name: 'tcx',
  feed: { kind: 'files', names: FILE_CLAIMS.tcx },
  read: readTcxFile,
} satisfies Importer<FileInput>;

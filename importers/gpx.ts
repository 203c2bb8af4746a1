import type { ImportedRun, RunWarning } from '../src/model.ts';
import {
  MAX_TRACK_POINTS,
  buildTrackRun,
  nothingRecorded,
  num,
  parseFileTime,
  type FileTime,
  type TrackActivity,
  type TrackPoint,
} from './track.ts';
import { sportVerdict, splitAtLongGaps, type SportVerdict } from './sport.ts';
import { FILE_CLAIMS } from './names.ts';
import type { FileInput, ImportContext, ImportOutcome, Importer } from './types.ts';
import { XmlStop, readXml } from './xml.ts';

/*
 * GPX 1.0/1.1 (with Garmin's TrackPointExtension v1/v2, Cluetrust gpxdata, bare extensions):
 * `<trk>` → `<trkseg>` → `<trkpt lat lon>` with `<time>`, `<ele>`, and in any extension `hr`,
 * `cad`/`cadence`, `speed`, matched by local name (prefixes vary by writer: ../shared/fixtures/gpx).
 * A GPX has no laps, no timer and no total: distance is the haversine inside each segment,
 * elapsed time the span of the points, moving time the segments' spans (a new segment is a pause).
 */

interface GpxTrack {
  name: string | null;
  types: string[];
  segments: { points: TrackPoint[]; times: FileTime[] }[];
}

interface GpxRead {
  creator: string | null;
  tracks: GpxTrack[];
  /** Points without a usable `<time>` (a planned route), in tracks or routes. */
  timeless: number;
  points: number;
  result: ReturnType<typeof readXml>;
  notGpx: string | null;
}

const HR = new Set(['hr', 'heartrate']);
const CADENCE = new Set(['cad', 'cadence', 'runcadence']);

function readGpx(bytes: Uint8Array): GpxRead {
  const out: GpxRead = {
    creator: null,
    tracks: [],
    timeless: 0,
    points: 0,
    result: { ok: true },
    notGpx: null,
  };
  let root = true;
  let pt: TrackPoint | null = null;
  let ptTime: FileTime | null = null;
  const track = (): GpxTrack => {
    let t = out.tracks.at(-1);
    if (!t) out.tracks.push((t = { name: null, types: [], segments: [] }));
    return t;
  };
  const segment = () => {
    const t = track();
    let s = t.segments.at(-1);
    if (!s) t.segments.push((s = { points: [], times: [] }));
    return s;
  };
  out.result = readXml(bytes, {
    open(el) {
      if (root) {
        root = false;
        if (el.local !== 'gpx') {
          out.notGpx = `not a GPX file: its root element is <${el.local}>, not <gpx>`;
          throw new XmlStop(out.notGpx);
        }
        out.creator = el.attr('creator')?.trim() || null;
        return;
      }
      switch (el.local) {
        case 'trk':
          out.tracks.push({ name: null, types: [], segments: [] });
          break;
        case 'trkseg':
          track().segments.push({ points: [], times: [] });
          break;
        case 'trkpt':
        case 'rtept':
          if (++out.points > MAX_TRACK_POINTS) {
            throw new XmlStop(`refused: more than ${MAX_TRACK_POINTS.toLocaleString('en')} points`);
          }
          ptTime = null;
          pt = {
            tMs: NaN,
            lat: num(el.attr('lat') ?? ''),
            lon: num(el.attr('lon') ?? ''),
            heartRateBpm: null,
            cadence: null,
            distanceM: null,
            speedMps: null,
          };
          if (el.local === 'rtept') {
            out.timeless++;
            pt = null;
          }
      }
    },
    close(local, text, parent) {
      if (pt) {
        if (local === 'trkpt') {
          if (ptTime) {
            const s = segment();
            pt.tMs = ptTime.ms;
            s.times.push(ptTime);
            s.points.push(pt);
          } else out.timeless++;
          pt = null;
        } else if (local === 'time' && parent === 'trkpt') ptTime = parseFileTime(text);
        else if (HR.has(local.toLowerCase())) pt.heartRateBpm ??= num(text);
        // mapstogpx writes the cadence twice per point (gpxdata:cadence and a bare <cadence>): once.
        else if (CADENCE.has(local.toLowerCase())) pt.cadence ??= num(text);
        else if (local === 'speed') pt.speedMps ??= num(text);
        return;
      }
      if (parent === 'trk' && local === 'name') track().name = text || null;
      if (parent === 'trk' && local === 'type' && text) track().types.push(text);
    },
  });
  return out;
}

const ROUTE_REASON =
  'a route without times (a planned route, not a recorded run: no point has a <time>)';

function readGpxFile(input: FileInput, ctx: ImportContext): ImportOutcome {
  const { bytes, sha256 } = input;
  if (bytes.length === 0) return { kind: 'failed', error: 'empty file (0 bytes)' };
  const g = readGpx(bytes);
  if (g.notGpx) return { kind: 'failed', error: g.notGpx };
  const timed = g.tracks.flatMap((t) => t.segments.filter((s) => s.points.length > 0));
  if (!g.result.ok && (timed.length === 0 || /^refused/.test(g.result.error))) {
    const { error } = g.result;
    return { kind: 'failed', error: /^refused/.test(error) ? error : `damaged GPX file: ${error}` };
  }
  if (timed.length === 0) {
    return g.timeless > 0
      ? { kind: 'skipped', reason: ROUTE_REASON }
      : { kind: 'skipped', reason: 'no track points in the file (nothing was recorded)' };
  }
  const warnings: RunWarning[] = g.result.ok ? [] : ['truncated'];
  // Tracks hours apart (MapSource: one a day) are separate activities, never one 45-hour run.
  const parts = splitAtLongGaps(
    g.tracks.flatMap((t) =>
      t.segments
        .filter((s) => s.points.length > 0)
        .map((s) => ({ points: s.points, times: s.times, owner: t })),
    ),
  );
  const runs: ImportedRun[] = [];
  const verdicts: SportVerdict[] = [];
  for (const part of parts) {
    const owners = [...new Set(part.map((s) => s.owner))];
    const verdict = sportVerdict(
      owners.flatMap((t) => t.types),
      owners.flatMap((t) => (t.name ? [t.name] : [])),
      'gpx',
    );
    verdicts.push(verdict);
    if (verdict.kind !== 'running') continue;
    const n = runs.length;
    const activity: TrackActivity = {
      source: 'gpx',
      sourceId: n === 0 ? sha256 : `${sha256}-${n + 1}`,
      segments: part.map((s) => s.points),
      start: part[0]?.times[0] as FileTime,
      distanceM: null,
      movingTimeS: null,
      device: g.creator,
      subSport: verdict.subSport,
      partial: !g.result.ok,
      warnings,
    };
    const empty = nothingRecorded(activity);
    if (empty) {
      verdicts.push({ kind: 'not-run', reason: empty });
      continue;
    }
    runs.push(buildTrackRun(activity, ctx));
  }
  if (runs.length > 0) return { kind: 'runs', runs };
  const first = verdicts.find((v) => v.kind === 'not-run') ?? verdicts[0];
  return {
    kind: 'skipped',
    reason: first?.kind === 'running' ? ROUTE_REASON : (first?.reason ?? ROUTE_REASON),
  };
}

export default {
  name: 'gpx',
  feed: { kind: 'files', names: FILE_CLAIMS.gpx },
  read: readGpxFile,
} satisfies Importer<FileInput>;

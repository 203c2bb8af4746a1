import type { FormSummary, ImportedRun, Run, RunId, RunSeries, RunWarning } from '../src/model.ts';
import { buildSeries } from '../src/load/series.ts';
import { summarizeForm, round, MAX_SAMPLE_GAP_S } from '../src/load/form-summary.ts';
import { isoInZone, zoneForOffset } from '../src/load/zone.ts';
import {
  FIT_EPOCH_S,
  FIT_MIN_DATE_TIME,
  type DecodedFit,
  type DecodedRecord,
  type DecodedSession,
} from './fit-decoded.ts';
import { decodeWithSdk } from './fit-sdk.ts';
import { decodeOwn } from './fit-own.ts';
import { decodeWithFitFileParser } from './fit-fallback.ts';
import { fitBoundProblem, looksFit } from './fit-bounds.ts';
import { FILE_CLAIMS } from './names.ts';
import type { FileInput, ImportContext, ImportOutcome, Importer } from './types.ts';

/** FIT bytes (already decompressed) and their sha256, which names the run. */
export type FitInput = FileInput;

/** Sub-sports that are running whatever the sport field says. */
const RUNNING_SUB_SPORTS = new Set(['treadmill', 'trail', 'track', 'street', 'indoorRunning']);
const SUB_SPORT_NAMES: Record<string, string | null> = {
  generic: null,
  virtualActivity: 'virtual',
  indoorRunning: 'treadmill',
};
/** Most running legs one file may hold (run–bike–run has two, a swimrun a few dozen). */
export const MAX_RUNNING_LEGS = 50;
/** How far before its first or after its last record a session may start, s (issue 21). */
const SESSION_SPAN_SLACK_S = 300;
/** A leg lasts at least this long, s: legs per file are bounded by the records' time span. */
const MIN_LEG_S = 60;
/** A local offset beyond ±14 h is not a time zone but a clock error. */
const MAX_OFFSET_S = 14 * 3600;

const subSportName = (s: string): string | null =>
  s in SUB_SPORT_NAMES ? (SUB_SPORT_NAMES[s] ?? null) : s;

export function isRunningSport(sport: string, subSport: string | null): boolean {
  return sport === 'running' || (subSport !== null && RUNNING_SUB_SPORTS.has(subSport));
}

function localOffsetMin(d: DecodedFit): number | null {
  if (d.activityTimestamp === null || d.activityLocalTimestamp === null) return null;
  const offset = d.activityLocalTimestamp - d.activityTimestamp;
  if (Math.abs(offset) > MAX_OFFSET_S) return null;
  // Offsets are whole quarter hours; the two timestamps can be written a second apart.
  return Math.round(offset / 900) * 15;
}

function recordsIn(records: DecodedRecord[], from: number, to: number): DecodedRecord[] {
  return records.filter((r) => r.timestamp >= from && r.timestamp <= to);
}

const timeWeightedMean = (records: DecodedRecord[], pick: (r: DecodedRecord) => number | null) => {
  let sum = 0;
  let time = 0;
  for (let i = 1; i < records.length; i++) {
    const r = records[i];
    const prev = records[i - 1];
    if (!r || !prev) continue;
    const v = pick(r);
    const dt = r.timestamp - prev.timestamp;
    if (v === null || v <= 0 || dt <= 0 || dt > MAX_SAMPLE_GAP_S) continue;
    sum += v * dt;
    time += dt;
  }
  return time > 0 ? sum / time : null;
};

/** A session rebuilt from the records of a file cut before its session message. */
function sessionFromRecords(records: DecodedRecord[]): DecodedSession | null {
  const first = records[0];
  const last = records.at(-1);
  if (!first || !last) return null;
  let moving = 0;
  let distance: number | null = null;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const prev = records[i - 1];
    if (r?.distanceM != null) distance = Math.max(distance ?? 0, r.distanceM);
    if (r && prev && r.timestamp - prev.timestamp <= MAX_SAMPLE_GAP_S) {
      moving += r.timestamp - prev.timestamp;
    }
  }
  return {
    sport: 'running',
    subSport: null,
    startTime: first.timestamp,
    totalDistanceM: distance,
    totalTimerTimeS: moving,
    totalElapsedTimeS: last.timestamp - first.timestamp,
    avgCadence: null,
    avgFractionalCadence: null,
    avgStepLengthMm: null,
    avgSpeedMps: null,
    avgHeartRateBpm: null,
  };
}

function formOf(s: DecodedSession, records: DecodedRecord[]): FormSummary | null {
  return summarizeForm(
    records.map((r) => ({
      tS: r.timestamp - s.startTime,
      speedMps: r.speedMps,
      cadenceSpm: r.cadence === null ? null : 2 * r.cadence,
      stepLengthM: r.stepLengthMm === null ? null : r.stepLengthMm / 1000,
    })),
  );
}

interface RunBuild {
  id: RunId;
  /** The file's sha256, with `-2`, `-3`, … for the second and later running legs. */
  sourceId: string;
  session: DecodedSession;
  records: DecodedRecord[];
  decoded: DecodedFit;
  warnings: RunWarning[];
  partial: boolean;
  ctx: ImportContext;
}

function buildRun(b: RunBuild): ImportedRun {
  const { session: s, records, decoded: d } = b;
  const warnings = [...b.warnings];
  const unixStart = s.startTime + FIT_EPOCH_S;
  if (s.startTime < FIT_MIN_DATE_TIME) warnings.push('clock-not-set');
  const offset = localOffsetMin(d);
  if (offset === null) warnings.push('no-local-time');
  // The offset is the one at the activity's end (when local_timestamp was written): check the
  // runner's zone there, so a run across a DST change still gets the runner's zone.
  const offsetAt = (d.activityTimestamp ?? s.startTime) + FIT_EPOCH_S;
  const timezone =
    offset === null ? b.ctx.timezone : zoneForOffset(offsetAt, offset, b.ctx.timezone);

  const recordCadence = timeWeightedMean(records, (r) => r.cadence);
  const strides =
    s.avgCadence !== null && s.avgCadence > 0
      ? s.avgCadence + (s.avgFractionalCadence ?? 0)
      : recordCadence;
  const avgCadenceSpm = strides === null ? null : round(2 * strides, 2);
  if (avgCadenceSpm === null) warnings.push('no-cadence');

  const lastDistance = records.findLast((r) => r.distanceM !== null)?.distanceM ?? null;
  const distanceM = s.totalDistanceM ?? lastDistance;
  if (distanceM === null) warnings.push('no-distance');
  const movingTimeS = s.totalTimerTimeS;
  const avgSpeedMps =
    s.avgSpeedMps ?? (distanceM !== null && movingTimeS ? round(distanceM / movingTimeS, 3) : null);
  const avgStepLengthM =
    s.avgStepLengthMm !== null && s.avgStepLengthMm > 0
      ? round(s.avgStepLengthMm / 1000, 3)
      : avgSpeedMps !== null && avgCadenceSpm
        ? round(avgSpeedMps / (avgCadenceSpm / 60), 3)
        : null;
  const hr = s.avgHeartRateBpm ?? timeWeightedMean(records, (r) => r.heartRateBpm);

  const run: Run = {
    id: b.id,
    source: 'fit',
    sourceId: b.sourceId,
    sources: [{ source: 'fit', sourceId: b.sourceId }],
    startTime: isoInZone(unixStart, timezone),
    timezone,
    sport: 'running',
    subSport: s.subSport === null ? null : subSportName(s.subSport),
    distanceM,
    movingTimeS,
    elapsedTimeS: s.totalElapsedTimeS,
    avgSpeedMps,
    avgCadenceSpm,
    avgStepLengthM,
    avgHeartRateBpm: hr === null ? null : Math.round(hr),
    device: d.device,
    gearId: null,
    partial: b.partial,
    warnings: [...new Set(warnings)],
    excluded: null,
  };
  return { run, form: formOf(s, records), series: seriesOf(s, records) };
}

/** Pace, step rate and heart rate over the run, in 10 s slots (the run page's charts). */
function seriesOf(s: DecodedSession, records: DecodedRecord[]): RunSeries | null {
  return buildSeries(
    records.map((r) => ({
      tS: r.timestamp - s.startTime,
      speedMps: r.speedMps,
      stepRateSpm: r.cadence === null ? null : 2 * r.cadence,
      heartRateBpm: r.heartRateBpm,
    })),
  );
}

/**
 * An intact file is read by kneecheck's own decoder (fit-own.ts: the SDK's result, several times
 * faster); anything it does not vouch for by the SDK, or by fit-file-parser where the SDK stopped
 * and fit-file-parser read more.
 */
function decode(bytes: Uint8Array): {
  decoded: DecodedFit;
  isFit: boolean;
  partial: boolean;
  warnings: RunWarning[];
} {
  const own = decodeOwn(bytes);
  if (own) return { decoded: own, isFit: true, partial: false, warnings: [] };
  const sdk = decodeWithSdk(bytes);
  let decoded = sdk.decoded;
  const warnings: RunWarning[] = [];
  if (decoded.errors.length > 0 && sdk.isFit) {
    const fallback = decodeWithFitFileParser(bytes);
    if (
      fallback &&
      fallback.records.length > decoded.records.length &&
      fallback.sessions.length >= decoded.sessions.length
    ) {
      decoded = {
        ...fallback,
        fileType: fallback.fileType ?? decoded.fileType,
        device: fallback.device ?? decoded.device,
      };
      warnings.push('decoded-by-fallback');
    }
  }
  const readAll = decoded.errors.length === 0 && sdk.intact;
  if (!readAll) {
    if (decoded.errors.some((e) => /end of stream/i.test(e))) warnings.push('truncated');
    else if (!sdk.intact) warnings.push('crc-mismatch');
    else warnings.push('truncated');
  }
  return { decoded, isFit: sdk.isFit, partial: !readAll, warnings };
}

/**
 * The running legs a file can hold (issue 21: one 81 KB file became 3,000 runs from 2020 to
 * 2028): a session must start within the time its file's records span, and there are at most as
 * many legs as that span holds minutes (and {@link MAX_RUNNING_LEGS}). A file without records
 * has no span to check against; the leg cap still holds.
 */
function legsWithinRecords(running: DecodedSession[], records: DecodedRecord[]): DecodedSession[] {
  let first = Infinity;
  let last = -Infinity;
  for (const r of records) {
    if (r.timestamp < first) first = r.timestamp;
    if (r.timestamp > last) last = r.timestamp;
  }
  const spanned = records.length > 0;
  const kept = spanned
    ? running.filter(
        (s) =>
          s.startTime >= first - SESSION_SPAN_SLACK_S && s.startTime <= last + SESSION_SPAN_SLACK_S,
      )
    : running;
  const max = spanned
    ? Math.min(MAX_RUNNING_LEGS, 1 + Math.floor((last - first) / MIN_LEG_S))
    : MAX_RUNNING_LEGS;
  return kept.slice(0, max);
}

function readFit(input: FitInput, ctx: ImportContext): ImportOutcome {
  const { bytes, sha256 } = input;
  if (bytes.length === 0) return { kind: 'failed', error: 'empty file (0 bytes)' };
  // Counted before any decoder keeps an object per message (fit-bounds.ts).
  const bound = looksFit(bytes) ? fitBoundProblem(bytes) : null;
  if (bound) return { kind: 'failed', error: bound };
  const { decoded: d, isFit, partial, warnings } = decode(bytes);
  if (!isFit) {
    return { kind: 'failed', error: 'not a FIT file: the header does not say ".FIT"' };
  }
  const problem = d.errors[0] ? `: ${d.errors[0].replace(/^FIT Runtime Error\s*/, '')}` : '';
  if (d.fileType !== null && d.fileType !== 'activity') {
    return { kind: 'skipped', reason: `not an activity file (FIT file type "${d.fileType}")` };
  }
  let sessions = d.sessions;
  const extra: RunWarning[] = [];
  if (sessions.length === 0) {
    const looksRunning =
      d.sportHints.includes('running') ||
      (d.sportHints.length === 0 && d.records.some((r) => r.runningHint));
    if (d.sportHints.length > 0 && !looksRunning) {
      return { kind: 'skipped', reason: `not a run (${[...new Set(d.sportHints)].join(', ')})` };
    }
    const rebuilt = looksRunning ? sessionFromRecords(d.records) : null;
    if (!rebuilt) {
      return {
        kind: 'failed',
        error: partial
          ? `damaged FIT file: no session could be read and the sport is unknown${problem}`
          : 'FIT activity without a session or records',
      };
    }
    sessions = [rebuilt];
    extra.push('rebuilt-from-records');
  }
  const allRunning = sessions.filter((s) => isRunningSport(s.sport, s.subSport));
  if (allRunning.length === 0) {
    const sports = [...new Set(sessions.map((s) => s.sport))].join(', ');
    return { kind: 'skipped', reason: `not a run (${sports})` };
  }
  const running = legsWithinRecords(allRunning, d.records);
  if (running.length === 0) {
    return {
      kind: 'failed',
      error: `damaged FIT file: its ${allRunning.length} running session(s) start outside the time its records span`,
    };
  }
  if (running.length < allRunning.length) extra.push('sessions-dropped');
  const runs = running.map((session, i) => {
    const next = sessions[sessions.indexOf(session) + 1];
    const end =
      session.totalElapsedTimeS !== null
        ? session.startTime + Math.ceil(session.totalElapsedTimeS)
        : (next?.startTime ?? Number.MAX_SAFE_INTEGER);
    // One run per running leg (run–bike–run), each its own source: `<sha>`, `<sha>-2`, …
    const leg = i === 0 ? '' : `-${i + 1}`;
    return buildRun({
      id: `fit:${sha256.slice(0, 12)}${leg}` as RunId,
      sourceId: `${sha256}${leg}`,
      session,
      records: recordsIn(d.records, session.startTime, end),
      decoded: d,
      warnings: [...warnings, ...extra],
      partial,
      ctx,
    });
  });
  return { kind: 'runs', runs };
}

export default {
  name: 'fit',
  feed: { kind: 'files', names: FILE_CLAIMS.fit },
  read: readFit,
} satisfies Importer<FitInput>;

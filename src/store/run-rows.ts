/** How rows of the runs, run_sources and form_summaries tables are read back (checked, not cast). */
import type {
  FormSummary,
  Run,
  RunExclusion,
  RunId,
  RunMark,
  RunWarning,
  SourceKind,
  SpeedBin,
} from '../model.ts';
import {
  arrayOf,
  bool01,
  json,
  jsonOrNull,
  num,
  listOf,
  numOrNull,
  objectOf,
  oneOf,
  rowsOf,
  runId,
  str,
  strOrNull,
  textAt,
  word,
} from './rows.ts';

/** Every source a stored run may name (the compiler checks none of SourceKind is missing). */
export const SOURCE_KINDS = [
  'fit',
  'gpx',
  'tcx',
  'apple-health',
  'strava',
  'intervals',
] as const satisfies readonly SourceKind[];
const allSourcesListed: [Exclude<SourceKind, (typeof SOURCE_KINDS)[number]>] extends [never]
  ? true
  : false = true;
void allSourcesListed;
/** Every warning code a stored run may carry (the compiler checks none of RunWarning is missing). */
const RUN_WARNINGS = [
  'clock-not-set',
  'crc-mismatch',
  'truncated',
  'no-cadence',
  'no-distance',
  'no-local-time',
  'rebuilt-from-records',
  'decoded-by-fallback',
  'sessions-dropped',
  'cadence-halved',
  'implausible-step-rate',
  'implausible-step-length',
  'implausible-speed',
  'implausible-distance',
  'implausible-duration',
  'implausible-heart-rate',
  'start-in-future',
  'start-before-2000',
] as const satisfies readonly RunWarning[];
const allWarningsListed: [Exclude<RunWarning, (typeof RUN_WARNINGS)[number]>] extends [never]
  ? true
  : false = true;
void allWarningsListed;

const readWarnings = arrayOf(word(RUN_WARNINGS));
const readExclusion = objectOf((o): RunExclusion => ({
  reason: textAt(o, 'reason'),
  by: word(['user', 'kneecheck'])(o.by),
}));

/** A stored run; its `sources` are filled in by `#withSources` (another query). */
export const runRow = rowsOf('runs', (r): Run => ({
  id: runId(r.id, 'id'),
  source: oneOf(r.source, 'source', SOURCE_KINDS),
  sourceId: str(r.source_id, 'source_id'),
  sources: [],
  startTime: str(r.start_time, 'start_time'),
  timezone: str(r.timezone, 'timezone'),
  sport: str(r.sport, 'sport'),
  subSport: strOrNull(r.sub_sport, 'sub_sport'),
  distanceM: numOrNull(r.distance_m, 'distance_m'),
  movingTimeS: numOrNull(r.moving_time_s, 'moving_time_s'),
  elapsedTimeS: numOrNull(r.elapsed_time_s, 'elapsed_time_s'),
  avgSpeedMps: numOrNull(r.avg_speed_mps, 'avg_speed_mps'),
  avgCadenceSpm: numOrNull(r.avg_cadence_spm, 'avg_cadence_spm'),
  avgStepLengthM: numOrNull(r.avg_step_length_m, 'avg_step_length_m'),
  avgHeartRateBpm: numOrNull(r.avg_heart_rate_bpm, 'avg_heart_rate_bpm'),
  device: strOrNull(r.device, 'device'),
  gearId: strOrNull(r.gear_id, 'gear_id'),
  partial: bool01(r.partial, 'partial'),
  warnings: json(r.warnings, 'warnings', readWarnings),
  excluded: jsonOrNull(r.excluded, 'excluded', readExclusion),
}));

const isSpeedBin = (b: unknown): b is SpeedBin =>
  typeof b === 'object' &&
  b !== null &&
  'fromMps' in b &&
  typeof b.fromMps === 'number' &&
  'seconds' in b &&
  typeof b.seconds === 'number' &&
  'avgSpeedMps' in b &&
  typeof b.avgSpeedMps === 'number' &&
  'avgCadenceSpm' in b &&
  typeof b.avgCadenceSpm === 'number';
const readBins = listOf(isSpeedBin);
/** A stored form summary and the run it belongs to. */
export const formRow = rowsOf('form_summaries', (r): [RunId, FormSummary] => [
  runId(r.run_id, 'run_id'),
  {
    speedBins: json(r.speed_bins, 'speed_bins', readBins),
    firstFifthCadenceSpm: numOrNull(r.first_fifth_cadence_spm, 'first_fifth_cadence_spm'),
    lastFifthCadenceSpm: numOrNull(r.last_fifth_cadence_spm, 'last_fifth_cadence_spm'),
    firstFifthSpeedMps: numOrNull(r.first_fifth_speed_mps, 'first_fifth_speed_mps'),
    lastFifthSpeedMps: numOrNull(r.last_fifth_speed_mps, 'last_fifth_speed_mps'),
    deviceStepLengthM: numOrNull(r.device_step_length_m, 'device_step_length_m'),
    sampleCount: num(r.sample_count, 'sample_count'),
  },
]);

export const runIdRow = rowsOf('run_sources', (r) => runId(r.run_id, 'run_id'));
export const startRow = rowsOf('runs', (r) => ({
  startUnix: num(r.start_unix, 'start_unix'),
  startTime: str(r.start_time, 'start_time'),
}));
/** A run's id, start and length (runs.marksBeforeChecks). */
export const markRow = rowsOf('runs', (r): RunMark => ({
  id: runId(r.id, 'id'),
  startTime: str(r.start_time, 'start_time'),
  elapsedTimeS: numOrNull(r.elapsed_time_s, 'elapsed_time_s'),
  movingTimeS: numOrNull(r.moving_time_s, 'moving_time_s'),
}));
export const startUnixRow = rowsOf('runs', (r) => num(r.start_unix, 'start_unix'));
export const sourceRow = rowsOf('run_sources', (r) => ({
  runId: runId(r.run_id, 'run_id'),
  source: {
    source: oneOf(r.source, 'source', SOURCE_KINDS),
    sourceId: str(r.source_id, 'source_id'),
  },
}));

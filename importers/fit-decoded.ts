/**
 * The slice of a FIT file kneecheck uses, in one shape whichever decoder produced it. Times are
 * FIT timestamps (seconds since 1989-12-31T00:00Z); values are scaled to SI units except where
 * the name says otherwise.
 */
export interface DecodedSession {
  sport: string;
  subSport: string | null;
  startTime: number;
  totalDistanceM: number | null;
  totalTimerTimeS: number | null;
  totalElapsedTimeS: number | null;
  /** One leg's strides/min, as stored. */
  avgCadence: number | null;
  avgFractionalCadence: number | null;
  avgStepLengthMm: number | null;
  avgSpeedMps: number | null;
  avgHeartRateBpm: number | null;
}

export interface DecodedRecord {
  timestamp: number;
  distanceM: number | null;
  speedMps: number | null;
  /** One leg's strides/min plus the fractional part, as stored. */
  cadence: number | null;
  stepLengthMm: number | null;
  heartRateBpm: number | null;
  /** Running dynamics (vertical oscillation, stance time) or `activity_type: running` present. */
  runningHint: boolean;
}

export interface DecodedFit {
  /** Which decoder read the file; not stored ('kneecheck': importers/fit-own.ts, equal to 'fitsdk'). */
  decoder: 'fitsdk' | 'fit-file-parser' | 'kneecheck';
  fileType: string | null;
  device: string | null;
  sessions: DecodedSession[];
  /** Sports named by `sport` and `lap` messages, for files cut before their session. */
  sportHints: string[];
  records: DecodedRecord[];
  /** activity.timestamp and activity.local_timestamp, when present. */
  activityTimestamp: number | null;
  activityLocalTimestamp: number | null;
  /** Decoder errors; the messages read before the error are kept. */
  errors: string[];
}

/** Seconds between the Unix epoch and the FIT epoch (1989-12-31T00:00:00Z). */
export const FIT_EPOCH_S = 631065600;

/** FIT timestamps below this are seconds since device power-up, not real dates (FIT profile). */
export const FIT_MIN_DATE_TIME = 0x10000000;

export const num = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;

export const str = (v: unknown): string | null =>
  typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : null;

/** "garmin fenix2", "stryd", or null when the file does not name a maker. */
export function deviceName(manufacturer: unknown, product: unknown): string | null {
  const maker = str(manufacturer);
  if (maker === null || maker === '0' || maker === 'development') return null;
  const model = str(product);
  return model === null ? maker : `${maker} ${model}`;
}

import { Buffer } from 'node:buffer';
import FitParser from 'fit-file-parser';
import {
  FIT_EPOCH_S,
  deviceName,
  num,
  str,
  type DecodedFit,
  type DecodedRecord,
} from './fit-decoded.ts';
import { assertFitWithinBounds } from './fit-bounds.ts';

type Fields = Record<string, unknown>;

const fitTime = (v: unknown): number | null => {
  if (v instanceof Date) return Math.round(v.getTime() / 1000) - FIT_EPOCH_S;
  return num(v);
};

/** fit-file-parser returns snake_case sport names; the SDK and the rest of kneecheck use camelCase. */
const camel = (s: string | null): string | null =>
  s === null ? null : s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Forerunner 70-era `compressed_speed_distance`: 12 bits of speed (1/100 m/s) and 12 bits of
 * distance (1/16 m) that roll over every 256 m (FIT profile, record message field 8).
 */
function expandCompressedSpeedDistance(records: Fields[]): void {
  let distance: number | null = null;
  let lastRaw = 0;
  for (const r of records) {
    const packed = r.compressed_speed_distance;
    if (!Array.isArray(packed) || packed.length !== 3) continue;
    const [b0, b1, b2] = packed as number[];
    if (b0 === undefined || b1 === undefined || b2 === undefined) continue;
    r.speed ??= (b0 | ((b1 & 0x0f) << 8)) / 100;
    const raw = (b1 >> 4) | (b2 << 4);
    distance = distance === null ? raw / 16 : distance + ((raw - lastRaw + 4096) % 4096) / 16;
    lastRaw = raw;
    r.distance ??= distance;
  }
}

function record(m: Fields): DecodedRecord | null {
  const timestamp = fitTime(m.timestamp);
  if (timestamp === null) return null;
  const cadence = num(m.cadence);
  return {
    timestamp,
    distanceM: num(m.enhanced_distance) ?? num(m.distance),
    speedMps: num(m.enhanced_speed) ?? num(m.speed),
    cadence: cadence === null ? null : cadence + (num(m.fractional_cadence) ?? 0),
    stepLengthMm: num(m.step_length),
    heartRateBpm: num(m.heart_rate),
    runningHint:
      m.activity_type === 'running' ||
      num(m.vertical_oscillation) !== null ||
      num(m.stance_time) !== null,
  };
}

/**
 * Decodes with `fit-file-parser`. Measured on the broken fixtures (see the FIT fixtures README
 * and test/importers/fit-decoders.test.ts), it recovers what the SDK cannot in one case: files
 * with compressed-timestamp records, which the SDK stops at. It rejects truncated files outright,
 * so it is only the fallback, used when it reads more records than the SDK did. It reads on past
 * compressed-timestamp headers with an object per message (about 400 bytes each): a file past the
 * bounds of fit-bounds.ts is refused before it is parsed (throws `FitTooLarge`).
 */
export function decodeWithFitFileParser(bytes: Uint8Array): DecodedFit | null {
  assertFitWithinBounds(bytes);
  // force: read past a CRC mismatch (the SDK's integrity check has already flagged it).
  const parser = new FitParser({ mode: 'list', speedUnit: 'm/s', lengthUnit: 'm', force: true });
  let result: Fields | null = null;
  // parse() reports synchronously through its callback.
  parser.parse(Buffer.from(bytes), (error, data) => {
    if (!error && data) result = data as unknown as Fields;
  });
  const data = result as Fields | null;
  if (data === null) return null;
  const rawRecords = (Array.isArray(data.records) ? data.records : []) as Fields[];
  expandCompressedSpeedDistance(rawRecords);
  const records = rawRecords.map(record).filter((r): r is DecodedRecord => r !== null);
  const sessions = (Array.isArray(data.sessions) ? data.sessions : []) as Fields[];
  const fileId = (data.file_id ?? {}) as Fields;
  const activity = (data.activity ?? {}) as Fields;
  return {
    decoder: 'fit-file-parser',
    fileType: camel(str(fileId.type)),
    device: deviceName(fileId.manufacturer, fileId.product_name ?? fileId.product),
    sessions: sessions.map((s) => ({
      sport: camel(str(s.sport)) ?? 'generic',
      subSport: camel(str(s.sub_sport)),
      startTime: fitTime(s.start_time) ?? 0,
      totalDistanceM: num(s.total_distance),
      totalTimerTimeS: num(s.total_timer_time),
      totalElapsedTimeS: num(s.total_elapsed_time),
      avgCadence: num(s.avg_running_cadence) ?? num(s.avg_cadence),
      avgFractionalCadence: num(s.avg_fractional_cadence),
      avgStepLengthMm: num(s.avg_step_length),
      avgSpeedMps: num(s.enhanced_avg_speed) ?? num(s.avg_speed),
      avgHeartRateBpm: num(s.avg_heart_rate),
    })),
    sportHints: [],
    records,
    activityTimestamp: fitTime(activity.timestamp),
    activityLocalTimestamp: fitTime(activity.local_timestamp),
    errors: [],
  };
}

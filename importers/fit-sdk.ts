import { CrcCalculator, Decoder, Stream } from '@garmin/fitsdk';
import {
  deviceName,
  num,
  str,
  type DecodedFit,
  type DecodedRecord,
  type DecodedSession,
} from './fit-decoded.ts';
import { assertFitWithinBounds } from './fit-bounds.ts';

type Fields = Record<string, unknown>;

const list = (messages: Record<string, unknown>, key: string): Fields[] => {
  const v = messages[key];
  return Array.isArray(v) ? (v as Fields[]) : [];
};

/**
 * Lean options: no component expansion, no heart-rate merge, no Date objects. kneecheck reads
 * `enhanced_*` fields when a device writes them and the plain ones otherwise, so expanding
 * components would only cost time (the benchmark measures it against the default `read()`).
 */
const READ_OPTIONS = {
  expandSubFields: true,
  expandComponents: false,
  applyScaleAndOffset: true,
  convertTypesToStrings: true,
  convertDateTimesToDates: false,
  includeUnknownData: false,
  mergeHeartRates: false,
} as const;

/** A session message's fields (as `read()` names them) in kneecheck's shape. */
export function sessionOf(m: Fields): DecodedSession {
  return {
    sport: str(m.sport) ?? 'generic',
    subSport: str(m.subSport),
    startTime: num(m.startTime) ?? num(m.timestamp) ?? 0,
    totalDistanceM: num(m.totalDistance),
    totalTimerTimeS: num(m.totalTimerTime),
    totalElapsedTimeS: num(m.totalElapsedTime),
    avgCadence: num(m.avgRunningCadence) ?? num(m.avgCadence),
    avgFractionalCadence: num(m.avgFractionalCadence),
    avgStepLengthMm: num(m.avgStepLength),
    avgSpeedMps: num(m.enhancedAvgSpeed) ?? num(m.avgSpeed),
    avgHeartRateBpm: num(m.avgHeartRate),
  };
}

function record(m: Fields): DecodedRecord | null {
  const timestamp = num(m.timestamp);
  if (timestamp === null) return null;
  const cadence = num(m.cadence);
  return {
    timestamp,
    distanceM: num(m.distance),
    speedMps: num(m.enhancedSpeed) ?? num(m.speed),
    cadence: cadence === null ? null : cadence + (num(m.fractionalCadence) ?? 0),
    stepLengthMm: num(m.stepLength),
    heartRateBpm: num(m.heartRate),
    runningHint:
      m.activityType === 'running' ||
      num(m.verticalOscillation) !== null ||
      num(m.stanceTime) !== null,
  };
}

export interface SdkDecodeResult {
  /** The first header says `.FIT`. */
  isFit: boolean;
  /** Header and file CRCs match and every declared byte is there. */
  intact: boolean;
  decoded: DecodedFit;
}

/** A stream over the bytes; `fromBuffer` would copy them, which only a partial view needs. */
const streamOf = (bytes: Uint8Array): Stream =>
  bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? Stream.fromArrayBuffer(bytes.buffer as ArrayBuffer)
    : Stream.fromBuffer(bytes);

/** A 14-byte file header's CRC matches its first 12 bytes (0 means none was written). */
function headerCrcOk(bytes: Uint8Array): boolean {
  if (bytes[0] !== 14 || bytes.length < 14) return true;
  const stored = (bytes[12] ?? 0) | ((bytes[13] ?? 0) << 8);
  return stored === 0 || stored === CrcCalculator.calculateCRC(bytes, 0, 12);
}

/**
 * Decodes with the official Garmin SDK; what was read before an error is kept. The SDK keeps an
 * object for every message (hundreds of bytes each) before returning any: a file past the bounds
 * of fit-bounds.ts is refused before it is handed over (throws `FitTooLarge`).
 */
export function decodeWithSdk(bytes: Uint8Array): SdkDecodeResult {
  assertFitWithinBounds(bytes);
  const decoder = new Decoder(streamOf(bytes));
  const isFit = decoder.isFIT();
  const { messages, errors } = decoder.read(READ_OPTIONS);
  // A read without errors has checked every declared byte and the file CRC already; only the
  // header CRC is left, so the second CRC pass of checkIntegrity() is needed only after an error.
  const intact =
    isFit &&
    (errors.length === 0 ? headerCrcOk(bytes) : new Decoder(streamOf(bytes)).checkIntegrity());
  const all = messages as unknown as Record<string, unknown>;
  const fileId = list(all, 'fileIdMesgs')[0] ?? {};
  const activity = list(all, 'activityMesgs')[0] ?? {};
  const records: DecodedRecord[] = [];
  for (const m of list(all, 'recordMesgs')) {
    const r = record(m);
    if (r) records.push(r);
  }
  const sportHints = [...list(all, 'sportMesgs'), ...list(all, 'lapMesgs')]
    .map((m) => str(m.sport))
    .filter((s): s is string => s !== null);
  const decoded: DecodedFit = {
    decoder: 'fitsdk',
    fileType: str(fileId.type),
    device: deviceName(fileId.manufacturer, fileId.garminProduct ?? fileId.product),
    sessions: list(all, 'sessionMesgs').map(sessionOf),
    sportHints,
    records,
    activityTimestamp: num(activity.timestamp),
    activityLocalTimestamp: num(activity.localTimestamp),
    errors: errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))),
  };
  return { isFit, intact, decoded };
}

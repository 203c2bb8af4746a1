import { Profile } from '@garmin/fitsdk';

/**
 * What importers/fit-own.ts needs to read FIT bytes as the SDK does: base types, the Profile's
 * fields (names, scale, offset, enum names) for the messages kneecheck uses, and the FIT CRC.
 */

/** Bytes per value of each FIT base type (index: base type number & 0x1F). */
export const BASE_SIZE = [1, 1, 1, 2, 2, 4, 4, 1, 4, 8, 1, 2, 4, 1, 8, 8, 8] as const;
/** Base types a used field may have: the integer ones that fit a JS number (no 64-bit, float, string). */
export const INT_TYPES = new Set([
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0a, 0x0b, 0x0c, 0x0d,
]);

export const MESG = {
  fileId: 0,
  sport: 12,
  session: 18,
  lap: 19,
  record: 20,
  activity: 34,
  fieldDescription: 206,
  developerDataId: 207,
} as const;

export interface SubFieldInfo {
  name: string;
  type: string;
  scale: number | number[];
  offset: number | number[];
  map: { name: string; value: number }[];
}
export interface FieldInfo {
  num: number;
  name: string;
  type: string;
  array: boolean;
  scale: number | number[];
  offset: number | number[];
  components?: string[];
  isAccumulated?: boolean;
  subFields?: SubFieldInfo[];
}
export interface MesgInfo {
  fields: Record<string, FieldInfo | undefined>;
}

export const messages = Profile.messages as unknown as Record<string, MesgInfo | undefined>;
const types = Profile.types as unknown as Record<string, Record<string, string> | undefined>;
export const NUMERIC = new Set([
  'sint8',
  'uint8',
  'sint16',
  'uint16',
  'sint32',
  'uint32',
  'float32',
  'float64',
  'uint8z',
  'uint16z',
  'uint32z',
  'byte',
  'sint64',
  'uint64',
  'uint64z',
]);

/**
 * The SDK's value of a field from its raw integer: `raw / scale - offset` for numeric types, the
 * Profile's name for the value otherwise (the raw number when it has none), as `read()` with
 * `applyScaleAndOffset` and `convertTypesToStrings` returns it.
 */
export function valueOf(f: FieldInfo | SubFieldInfo, raw: number): number | string {
  if (NUMERIC.has(f.type)) {
    const { scale, offset } = f;
    if (Array.isArray(scale) && scale.length > 1) return raw;
    const s = Array.isArray(scale) ? (scale[0] ?? 1) : scale;
    const o = Array.isArray(offset) ? (offset[0] ?? 0) : offset;
    return raw / s - o;
  }
  return types[f.type]?.[raw] ?? raw;
}

/** Fields kneecheck reads, per global message number. */
export const USED: Record<number, readonly number[]> = {
  [MESG.fileId]: [0, 1, 2],
  [MESG.sport]: [0],
  [MESG.lap]: [25],
  [MESG.session]: [2, 5, 6, 7, 8, 9, 14, 16, 18, 92, 124, 134, 253],
  [MESG.record]: [253, 5, 6, 73, 4, 53, 85, 3, 42, 39, 41],
  [MESG.activity]: [253, 5],
  [MESG.fieldDescription]: [0, 1, 2],
  [MESG.developerDataId]: [3],
};

/** Slots of a record's used fields in {@link RecordSlots}. */
export const R = {
  ts: 0,
  dist: 1,
  speed: 2,
  espeed: 3,
  cad: 4,
  fcad: 5,
  step: 6,
  hr: 7,
  atype: 8,
  vo: 9,
  stance: 10,
};
export const RECORD_SLOT: Record<number, number> = {
  253: R.ts,
  5: R.dist,
  6: R.speed,
  73: R.espeed,
  4: R.cad,
  53: R.fcad,
  85: R.step,
  3: R.hr,
  42: R.atype,
  39: R.vo,
  41: R.stance,
};

/**
 * Per message: accumulated field → the fields whose components feed it. The SDK's
 * `setAccumulatedField` throws when both are in one message, so such a definition is not ours.
 */
function accumulatedFeeds(mesgNum: number): Map<number, Set<number>> {
  const fields = Object.values(messages[mesgNum]?.fields ?? {}).filter(
    (f): f is FieldInfo => f !== undefined,
  );
  const out = new Map<number, Set<number>>();
  for (const acc of fields.filter((f) => f.isAccumulated)) {
    const feeders = fields
      .filter((f) => (f.components ?? []).some((c) => Number(c) === acc.num))
      .map((f) => f.num);
    if (feeders.length > 0) out.set(acc.num, new Set(feeders));
  }
  return out;
}
const feedsCache = new Map<number, Map<number, Set<number>>>();
export function feedsOf(mesgNum: number): Map<number, Set<number>> {
  let feeds = feedsCache.get(mesgNum);
  if (!feeds) feedsCache.set(mesgNum, (feeds = accumulatedFeeds(mesgNum)));
  return feeds;
}

/** One used field of a definition: where it sits in the message and how to read it. */
export interface Slot {
  at: number;
  baseType: number;
  field: FieldInfo;
}
export interface Definition {
  global: number;
  little: boolean;
  /** Bytes of one data message after its header, developer fields included. */
  size: number;
  slots: Slot[];
  /** Developer fields: [field number, developer data index] pairs, in order. */
  dev: [number, number][];
}

class NotMine extends Error {}
export const notMine = (): never => {
  throw new NotMine();
};

/** The raw value of a used field, or null for its base type's invalid value. */
export function readInt(view: DataView, p: number, bt: number, little: boolean): number | null {
  switch (bt) {
    case 0x00:
    case 0x02:
    case 0x0d: {
      const v = view.getUint8(p);
      return v === 0xff ? null : v;
    }
    case 0x0a: {
      const v = view.getUint8(p);
      return v === 0 ? null : v;
    }
    case 0x01: {
      const v = view.getInt8(p);
      return v === 0x7f ? null : v;
    }
    case 0x03: {
      const v = view.getInt16(p, little);
      return v === 0x7fff ? null : v;
    }
    case 0x04: {
      const v = view.getUint16(p, little);
      return v === 0xffff ? null : v;
    }
    case 0x0b: {
      const v = view.getUint16(p, little);
      return v === 0 ? null : v;
    }
    case 0x05: {
      const v = view.getInt32(p, little);
      return v === 0x7fffffff ? null : v;
    }
    case 0x06: {
      const v = view.getUint32(p, little);
      return v === 0xffffffff ? null : v;
    }
    case 0x0c: {
      const v = view.getUint32(p, little);
      return v === 0 ? null : v;
    }
    default:
      return notMine();
  }
}

/** FIT's CRC-16, one byte at a time from a 256-entry table (the SDK's nibble table, unrolled). */
export const CRC_TABLE = (() => {
  const nibble = [
    0x0000, 0xcc01, 0xd801, 0x1400, 0xf001, 0x3c00, 0x2800, 0xe401, 0xa001, 0x6c00, 0x7800, 0xb401,
    0x5000, 0x9c01, 0x8801, 0x4400,
  ];
  const table = new Uint16Array(256);
  for (let b = 0; b < 256; b++) {
    let crc = 0;
    let tmp = nibble[crc & 0xf] ?? 0;
    crc = ((crc >> 4) & 0x0fff) ^ tmp ^ (nibble[b & 0xf] ?? 0);
    tmp = nibble[crc & 0xf] ?? 0;
    crc = ((crc >> 4) & 0x0fff) ^ tmp ^ (nibble[(b >> 4) & 0xf] ?? 0);
    table[b] = crc;
  }
  return table;
})();

/** CRC of `bytes[from, to)`, as the SDK's `CrcCalculator.calculateCRC`. */
export function fitCrc(bytes: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) {
    crc = ((crc >>> 8) ^ (CRC_TABLE[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0)) & 0xffff;
  }
  return crc;
}

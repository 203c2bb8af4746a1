import {
  deviceName,
  num,
  str,
  type DecodedFit,
  type DecodedRecord,
  type DecodedSession,
} from './fit-decoded.ts';
import { sessionOf } from './fit-sdk.ts';
import {
  BASE_SIZE,
  INT_TYPES,
  MESG,
  NUMERIC,
  R,
  RECORD_SLOT,
  USED,
  feedsOf,
  fitCrc,
  messages,
  notMine,
  readInt,
  valueOf,
  type Definition,
  type FieldInfo,
  type Slot,
} from './fit-own-profile.ts';
import {
  FitTooLarge,
  MAX_FIT_MESSAGES,
  MAX_FIT_RECORDS,
  MAX_FIT_SESSIONS,
  tooManyMessagesText,
  tooManyRecordsText,
  tooManySessionsText,
} from './fit-bounds.ts';

export { fitCrc } from './fit-own-profile.ts';

/**
 * kneecheck's own FIT decoder: reads straight from the bytes only what {@link DecodedFit} needs
 * (file_id, sport, lap, session, record, activity) and skips every other field by its size.
 *
 * It produces exactly what `decodeWithSdk(bytes).decoded` produces (the SDK's `read()` with the
 * lean options: sub-fields expanded, no components, scale and offset applied, enum values named
 * by the SDK's Profile) — or `null` ("not mine") for anything it does not vouch for: a damaged
 * file (header or file CRC wrong, bytes missing or extra), compressed-timestamp headers (which
 * the SDK rejects), unknown base types, a used field of odd size or base type, and the few
 * layouts where the SDK itself throws. The caller then decodes with the SDK, so broken files
 * behave as before.
 */

/** A used field's slot in a definition, with its transform precomputed. */
interface RecordSlot extends Slot {
  slot: number;
  /** Named by the Profile (dateTime, activityType): value through {@link valueOf}. */
  typed: boolean;
  scale: number;
  offset: number;
}

/** Developer fields described so far, per developer data index (as the SDK keeps them). */
type DevFields = Map<number, { num: number | null; baseType: number }[]>;

interface State {
  bytes: Uint8Array;
  view: DataView;
  defs: (Definition | undefined)[];
  recordSlots: WeakMap<Definition, RecordSlot[]>;
  dev: DevFields;
  fileId: Record<string, number | string> | null;
  activity: Record<string, number | string> | null;
  sessions: DecodedSession[];
  sportSports: string[];
  lapSports: string[];
  records: DecodedRecord[];
  /** Data messages read so far (every kind), against {@link MAX_FIT_MESSAGES}. */
  messages: number;
}

/** Reads a definition message at `p` (its header byte); returns the position after it. */
function readDefinition(s: State, p: number, end: number): number {
  const { bytes, view } = s;
  if (p + 6 > end) notMine();
  const header = bytes[p] ?? 0;
  const little = bytes[p + 2] === 0;
  const global = view.getUint16(p + 3, little);
  const n = bytes[p + 5] ?? 0;
  p += 6;
  if (p + 3 * n > end) notMine();
  const used = USED[global];
  const profile = messages[global]?.fields;
  const present = new Set<number>();
  const slots: Slot[] = [];
  let at = 0;
  for (let i = 0; i < n; i++, p += 3) {
    const fnum = bytes[p] ?? 0;
    const size = bytes[p + 1] ?? 0;
    const bt = (bytes[p + 2] ?? 0) & 0x1f;
    if (bt > 0x10) notMine();
    if (used?.includes(fnum)) {
      const field = profile?.[fnum];
      if (!field || field.array || !INT_TYPES.has(bt) || size !== BASE_SIZE[bt]) notMine();
      slots.push({ at, baseType: bt, field: field as FieldInfo });
    }
    present.add(fnum);
    at += size;
  }
  const dev: [number, number][] = [];
  if (header & 0x20) {
    if (p + 1 > end) notMine();
    const nd = bytes[p] ?? 0;
    p += 1;
    if (p + 3 * nd > end) notMine();
    for (let i = 0; i < nd; i++, p += 3) {
      dev.push([bytes[p] ?? 0, bytes[p + 2] ?? 0]);
      at += bytes[p + 1] ?? 0;
    }
  }
  for (const [acc, feeders] of feedsOf(global)) {
    if (present.has(acc) && [...feeders].some((f) => present.has(f))) notMine();
  }
  s.defs[header & 0x0f] = { global, little, size: at, slots, dev };
  return p;
}

function recordSlotsOf(s: State, def: Definition): RecordSlot[] {
  let slots = s.recordSlots.get(def);
  if (slots) return slots;
  slots = def.slots.map((sl) => {
    const f = sl.field;
    const typed = !NUMERIC.has(f.type);
    const multi = Array.isArray(f.scale) && f.scale.length > 1;
    const scale = multi ? 1 : Array.isArray(f.scale) ? (f.scale[0] ?? 1) : f.scale;
    const offset = multi ? 0 : Array.isArray(f.offset) ? (f.offset[0] ?? 0) : f.offset;
    return { ...sl, slot: RECORD_SLOT[f.num] ?? notMine(), typed, scale, offset };
  });
  s.recordSlots.set(def, slots);
  return slots;
}

const values = new Float64Array(11);
const opt = (v: number | undefined): number | null => (v === undefined || v !== v ? null : v);

function readRecord(s: State, def: Definition, body: number): void {
  values.fill(NaN);
  for (const sl of recordSlotsOf(s, def)) {
    const raw = readInt(s.view, body + sl.at, sl.baseType, def.little);
    if (raw === null) continue;
    if (!sl.typed) {
      values[sl.slot] = raw / sl.scale - sl.offset;
      continue;
    }
    const v = valueOf(sl.field, raw);
    values[sl.slot] =
      sl.slot === R.atype ? (v === 'running' ? 1 : 0) : typeof v === 'number' ? v : NaN;
  }
  const timestamp = opt(values[R.ts]);
  if (timestamp === null) return;
  const cadence = opt(values[R.cad]);
  s.records.push({
    timestamp,
    distanceM: opt(values[R.dist]),
    speedMps: opt(values[R.espeed]) ?? opt(values[R.speed]),
    cadence: cadence === null ? null : cadence + (opt(values[R.fcad]) ?? 0),
    stepLengthMm: opt(values[R.step]),
    heartRateBpm: opt(values[R.hr]),
    runningHint:
      values[R.atype] === 1 || opt(values[R.vo]) !== null || opt(values[R.stance]) !== null,
  });
}

/** A message's used fields by name: their raw values (invalid ones left out). */
function rawsOf(s: State, def: Definition, body: number): Record<string, number> {
  const raws: Record<string, number> = {};
  for (const sl of def.slots) {
    const raw = readInt(s.view, body + sl.at, sl.baseType, def.little);
    if (raw !== null) raws[sl.field.name] = raw;
  }
  return raws;
}

/** A message's used fields as the SDK names and values them, sub-fields expanded. */
function fieldsOf(s: State, def: Definition, body: number): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  const raws = rawsOf(s, def, body);
  for (const sl of def.slots) {
    const raw = raws[sl.field.name];
    if (raw !== undefined) out[sl.field.name] = valueOf(sl.field, raw);
  }
  for (const sl of def.slots) {
    const raw = raws[sl.field.name];
    if (raw === undefined) continue;
    for (const sub of sl.field.subFields ?? []) {
      for (const m of sub.map) {
        if (raws[m.name] === m.value) {
          out[sub.name] = valueOf(sub, raw);
          break;
        }
      }
    }
  }
  return out;
}

/** The SDK throws on these developer-data layouts; everything else only registers fields. */
function readDeveloperMessage(s: State, def: Definition, body: number): void {
  // The SDK keeps raw values here: the index, the field number, the base type `& 0x1F`.
  const raws = rawsOf(s, def, body);
  const index = raws.developerDataIndex ?? notMine();
  if (index === 0xff) return;
  if (def.global === MESG.developerDataId) {
    s.dev.set(index, []);
    return;
  }
  s.dev.get(index)?.push({
    num: raws.fieldDefinitionNumber ?? null,
    baseType: (raws.fitBaseTypeId ?? 0) & 0x1f,
  });
}

function readData(s: State, p: number, end: number): number {
  const def = s.defs[(s.bytes[p] ?? 0) & 0x0f] ?? notMine();
  const body = p + 1;
  const next = body + def.size;
  if (next > end) notMine();
  // Bounded before anything is kept: a file of millions of tiny messages is refused, not decoded.
  if (++s.messages > MAX_FIT_MESSAGES) throw new FitTooLarge(tooManyMessagesText());
  if (def.global === MESG.record && s.records.length >= MAX_FIT_RECORDS) {
    throw new FitTooLarge(tooManyRecordsText());
  }
  if (def.global === MESG.session && s.sessions.length >= MAX_FIT_SESSIONS) {
    throw new FitTooLarge(tooManySessionsText());
  }
  for (const [num, index] of def.dev) {
    const described = s.dev.get(index)?.find((d) => d.num === num);
    if (described && described.baseType > 0x10) notMine();
  }
  switch (def.global) {
    case MESG.record:
      readRecord(s, def, body);
      break;
    case MESG.session:
      s.sessions.push(sessionOf(fieldsOf(s, def, body)));
      break;
    case MESG.sport:
    case MESG.lap: {
      const sport = str(fieldsOf(s, def, body).sport);
      if (sport !== null) (def.global === MESG.sport ? s.sportSports : s.lapSports).push(sport);
      break;
    }
    case MESG.fileId:
      s.fileId ??= fieldsOf(s, def, body);
      break;
    case MESG.activity:
      s.activity ??= fieldsOf(s, def, body);
      break;
    case MESG.fieldDescription:
    case MESG.developerDataId:
      readDeveloperMessage(s, def, body);
      break;
  }
  return next;
}

/** Decodes one FIT file of a chain, from `start`; returns where the next one starts. */
function readFile(s: State, start: number, first: boolean): number {
  const { bytes, view } = s;
  const h = bytes[start];
  if (h !== 12 && h !== 14) notMine();
  const headerSize = h as number;
  if (start + headerSize + 2 > bytes.length) notMine();
  if (
    bytes[start + 8] !== 0x2e ||
    bytes[start + 9] !== 0x46 ||
    bytes[start + 10] !== 0x49 ||
    bytes[start + 11] !== 0x54
  ) {
    notMine();
  }
  const end = start + headerSize + view.getUint32(start + 4, true);
  if (end + 2 > bytes.length) notMine();
  if (first && headerSize === 14) {
    const stored = view.getUint16(start + 12, true);
    if (stored !== 0 && stored !== fitCrc(bytes, start, start + 12)) notMine();
  }
  if (view.getUint16(end, true) !== fitCrc(bytes, start, end)) notMine();
  let p = start + headerSize;
  while (p < end) {
    const header = bytes[p] ?? 0;
    if (header & 0x80) notMine(); // compressed timestamp: the SDK stops there
    p = header & 0x40 ? readDefinition(s, p, end) : readData(s, p, end);
  }
  if (p !== end) notMine();
  return end + 2;
}

/**
 * Decodes an intact FIT file (or chain of them) into what {@link DecodedFit} holds, equal to the
 * SDK's; `null` when the file is not one this decoder vouches for (decode it with the SDK).
 * Throws {@link FitTooLarge} past {@link MAX_FIT_RECORDS} records, {@link MAX_FIT_MESSAGES}
 * messages or {@link MAX_FIT_SESSIONS} sessions.
 */
export function decodeOwn(bytes: Uint8Array): DecodedFit | null {
  if (bytes.length === 0) return null;
  const s: State = {
    bytes,
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    defs: [],
    recordSlots: new WeakMap(),
    dev: new Map(),
    fileId: null,
    activity: null,
    sessions: [],
    sportSports: [],
    lapSports: [],
    records: [],
    messages: 0,
  };
  try {
    for (let p = 0, first = true; p < bytes.length; first = false) p = readFile(s, p, first);
  } catch (e) {
    // Past a bound: no other decoder is to try it either.
    if (e instanceof FitTooLarge) throw e;
    // Not ours: a layout this decoder does not read, or one where the SDK reports an error.
    return null;
  }
  const fileId = s.fileId ?? {};
  const activity = s.activity ?? {};
  return {
    decoder: 'kneecheck',
    fileType: str(fileId.type),
    device: deviceName(fileId.manufacturer, fileId.garminProduct ?? fileId.product),
    sessions: s.sessions,
    sportHints: [...s.sportSports, ...s.lapSports],
    records: s.records,
    activityTimestamp: num(activity.timestamp),
    activityLocalTimestamp: num(activity.localTimestamp),
    errors: [],
  };
}

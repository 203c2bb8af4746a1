/**
 * Rows read back from SQLite are parsed, not asserted: each table reads its columns with these
 * small readers, and a row that does not fit (a database changed by hand, a half-applied
 * migration) fails with the table, the column and what was found, instead of travelling on as a
 * wrong type. Hand-written rather than zod: the store is loaded by every command, and zod costs
 * 50–80 ms of start-up (see bench/startup.ts). Each table's reader is a plain function building
 * an object literal (`(r) => ({ id: num(r.id, 'id'), … })`). Measured cold (a fresh process):
 * 400 runs with their form summaries and 261 checks take about 3 ms more than with casts.
 */
import type { RunId } from '../model.ts';

/** A row or a column value that is not what its table says. */
export class RowShapeError extends Error {
  constructor(where: string, expected: string, got: unknown) {
    super(
      `kneecheck.sqlite: ${where}: expected ${expected}, got ${show(got)}; the database was ` +
        'changed outside kneecheck or by a newer version: restore a backup or use the newer kneecheck',
    );
    this.name = 'RowShapeError';
  }
}

/** A value that does not fit; the table's reader adds the table (and the column when known). */
class Mismatch {
  column: string | null;
  readonly expected: string;
  readonly got: unknown;
  constructor(column: string | null, expected: string, got: unknown) {
    this.column = column;
    this.expected = expected;
    this.got = got;
  }
}

const show = (v: unknown): string => {
  const text = typeof v === 'bigint' ? `${v}n` : (JSON.stringify(v) ?? String(v));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A row as better-sqlite3 returns it: its columns by name, not yet trusted. */
export type Row = Record<string, unknown>;

const bad = (column: string | null, expected: string, got: unknown): never => {
  throw new Mismatch(column, expected, got);
};

// Column readers: `v` is the value of column `c`, read at the call site (`num(r.pain, 'pain')`:
// a named property read there is as fast as the cast was), checked here; a Mismatch names `c`.

export const str = (v: unknown, c: string): string =>
  typeof v === 'string' ? v : bad(c, 'text', v);
export const strOrNull = (v: unknown, c: string): string | null =>
  v === null || typeof v === 'string' ? v : bad(c, 'text or null', v);
export const num = (v: unknown, c: string): number =>
  typeof v === 'number' ? v : bad(c, 'a number', v);
export const numOrNull = (v: unknown, c: string): number | null =>
  v === null || typeof v === 'number' ? v : bad(c, 'a number or null', v);
/** A boolean stored as 0 or 1. */
export const bool01 = (v: unknown, c: string): boolean =>
  v === 1 ? true : v === 0 ? false : bad(c, '0 or 1', v);
export const bytes = (v: unknown, c: string): Buffer =>
  Buffer.isBuffer(v) ? v : bad(c, 'a blob', v);
/** A run id (`fit:…`, `strava:…`): text, branded. */
export const runId = (v: unknown, c: string): RunId => str(v, c) as RunId;
export const runIdOrNull = (v: unknown, c: string): RunId | null =>
  v === null ? null : runId(v, c);

/** One of the given words. */
export function oneOf<const T extends string>(v: unknown, c: string, values: readonly T[]): T {
  for (const w of values) if (w === v) return w;
  return bad(c, `one of ${values.join(', ')}`, v);
}
export const oneOfOrNull = <const T extends string>(
  v: unknown,
  c: string,
  values: readonly T[],
): T | null => (v === null ? null : oneOf(v, c, values));

/** A text column holding JSON, read with `read` once decoded. */
export function json<T>(v: unknown, c: string, read: Reader<T>): T {
  const text = str(v, c);
  try {
    // Most list columns hold an empty list (a run's warnings): read without parsing.
    return read(text === '[]' ? [] : JSON.parse(text));
  } catch (e) {
    if (e instanceof SyntaxError) return bad(c, 'JSON', text);
    if (e instanceof Mismatch) e.column ??= c;
    throw e;
  }
}
export const jsonOrNull = <T>(v: unknown, c: string, read: Reader<T>): T | null =>
  v === null ? null : json(v, c, read);

// Value readers: a value inside a JSON column (or a setting), or a Mismatch.

/** Reads one value; throws on a value of another shape. */
export type Reader<T> = (v: unknown) => T;

export const text: Reader<string> = (v) => (typeof v === 'string' ? v : bad(null, 'text', v));
export const word =
  <const T extends string>(values: readonly T[]): Reader<T> =>
  (v) => {
    for (const w of values) if (w === v) return w;
    return bad(null, `one of ${values.join(', ')}`, v);
  };
export const arrayOf =
  <T>(item: Reader<T>): Reader<T[]> =>
  (v) =>
    Array.isArray(v) ? v.map((x) => item(x)) : bad(null, 'a list', v);
/** A JSON object, read with `read` from its fields. */
export const objectOf =
  <T>(read: (o: Record<string, unknown>) => T): Reader<T> =>
  (v) =>
    isRecord(v) ? read(v) : bad(null, 'an object', v);
/** The field `k` of a JSON object, which must be text / a number. */
export const textAt = (o: Record<string, unknown>, k: string): string => text(o[k]);
export const numberAt = (o: Record<string, unknown>, k: string): number => {
  const v = o[k];
  return typeof v === 'number' ? v : bad(null, `a number at ${k}`, v);
};
/**
 * A JSON list whose every item passes `is` (checked in place, without a copy: a form summary's
 * speed bins are read by the thousand).
 */
export const listOf =
  <T>(is: (x: unknown) => x is T): Reader<T[]> =>
  (v) =>
    Array.isArray(v) && v.every(is) ? v : bad(null, 'a list of the expected items', v);

/**
 * The reader of a table's rows: `read` builds the value from the row's columns with the column
 * readers above; a row that does not fit throws a {@link RowShapeError} naming `table.column`.
 */
export function rowsOf<T>(table: string, read: (r: Row) => T): (r: unknown) => T {
  return (r) => {
    if (!isRecord(r)) throw new RowShapeError(table, 'a row', r);
    try {
      return read(r);
    } catch (e) {
      if (e instanceof Mismatch) {
        throw new RowShapeError(e.column ? `${table}.${e.column}` : table, e.expected, e.got);
      }
      throw e;
    }
  };
}

/** Reads `v` with `read`; a value that does not fit throws a {@link RowShapeError} naming `where`. */
export function readAt<T>(where: string, read: Reader<T>, v: unknown): T {
  try {
    return read(v);
  } catch (e) {
    if (e instanceof Mismatch) throw new RowShapeError(where, e.expected, e.got);
    throw e;
  }
}

/** A row that may be absent (`.get()` found none): null then. */
export const maybe = <T>(read: (r: unknown) => T, r: unknown): T | null =>
  r === undefined ? null : read(r);

const countRow = rowsOf('COUNT(*)', (r) => num(r.n, 'n'));
/** The number of `SELECT COUNT(*) AS n …`. */
export const countOf = (r: unknown): number => countRow(r);

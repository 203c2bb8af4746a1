/**
 * Rows read back from SQLite are parsed, not asserted: each table states the shape of its rows
 * with these readers, and a row that does not fit (a database changed by hand, a half-applied
 * migration) fails with the table, the column and what was found, instead of travelling on as a
 * wrong type. Hand-written rather than zod: the store is loaded by every command, and zod costs
 * 50–80 ms of start-up (see bench/startup.ts); these cost a function call per column.
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

/** A column value that does not fit; `row()` adds the table and column. */
class Mismatch {
  readonly expected: string;
  readonly got: unknown;
  constructor(expected: string, got: unknown) {
    this.expected = expected;
    this.got = got;
  }
}

const show = (v: unknown): string => {
  const text = typeof v === 'bigint' ? `${v}n` : (JSON.stringify(v) ?? String(v));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** Reads one column value (or a value inside a JSON column); throws on a value that does not fit. */
export type Reader<T> = (v: unknown) => T;

const fail = (expected: string, got: unknown): never => {
  throw new Mismatch(expected, got);
};

export const str: Reader<string> = (v) => (typeof v === 'string' ? v : fail('text', v));
export const strOrNull: Reader<string | null> = (v) =>
  v === null || typeof v === 'string' ? v : fail('text or null', v);
export const num: Reader<number> = (v) => (typeof v === 'number' ? v : fail('a number', v));
export const numOrNull: Reader<number | null> = (v) =>
  v === null || typeof v === 'number' ? v : fail('a number or null', v);
/** A boolean stored as 0 or 1. */
export const bool01: Reader<boolean> = (v) =>
  v === 1 ? true : v === 0 ? false : fail('0 or 1', v);
export const bytes: Reader<Buffer> = (v) => (Buffer.isBuffer(v) ? v : fail('a blob', v));
/** A run id (`fit:…`, `strava:…`). */
export const runId: Reader<RunId> = (v) => str(v) as RunId;
export const runIdOrNull: Reader<RunId | null> = (v) => (v === null ? null : runId(v));

/** One of the given words. */
export const oneOf = <const T extends string>(values: readonly T[]): Reader<T> => {
  const known = new Set<unknown>(values);
  const isOne = (v: unknown): v is T => known.has(v);
  return (v) => (isOne(v) ? v : fail(`one of ${values.join(', ')}`, v));
};
export const orNull =
  <T>(read: Reader<T>): Reader<T | null> =>
  (v) =>
    v === null ? null : read(v);
export const arrayOf =
  <T>(item: Reader<T>): Reader<T[]> =>
  (v) =>
    Array.isArray(v) ? v.map(item) : fail('a list', v);

/** What a shape of readers reads: each field's type. */
export type Fields<S> = { [K in keyof S]: S[K] extends Reader<infer T> ? T : never };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** One field of a shape and its reader. */
interface Field {
  key: string;
  read: Reader<unknown>;
}

const fieldsOf = (shape: Record<string, Reader<unknown>>): Field[] =>
  Object.entries(shape).map(([key, read]) => ({ key, read }));

/**
 * Reads `fields` from `o` (other fields are left out); with a `table`, a value that does not fit
 * throws a {@link RowShapeError} naming `table.column`.
 */
function readFields<S>(
  fields: readonly Field[],
  o: Record<string, unknown>,
  table: string | null,
): Fields<S> {
  const out: Record<string, unknown> = {};
  let at = '';
  try {
    for (const f of fields) {
      at = f.key;
      out[at] = f.read(o[at]);
    }
  } catch (e) {
    if (table !== null && e instanceof Mismatch) {
      throw new RowShapeError(`${table}.${at}`, e.expected, e.got);
    }
    throw e;
  }
  // Every field of the shape was read with its own reader just above.
  return out as Fields<S>;
}

/** A JSON object's fields, each read with its reader (other fields are left out). */
export const objectOf = <S extends Record<string, Reader<unknown>>>(
  shape: S,
): Reader<Fields<S>> => {
  const fields = fieldsOf(shape);
  return (v) => (isRecord(v) ? readFields<S>(fields, v, null) : fail('an object', v));
};

/**
 * A JSON object whose fields `keys` are all numbers (others are kept as they are). Checked in
 * place, without a copy: a form summary's speed bins are read by the thousand.
 */
export const numbersOf = <const K extends string>(
  keys: readonly K[],
): Reader<Record<K, number>> => {
  const fits = (v: unknown): v is Record<K, number> => {
    if (!isRecord(v)) return false;
    for (const k of keys) if (typeof v[k] !== 'number') return false;
    return true;
  };
  return (v) => (fits(v) ? v : fail(`an object with the numbers ${keys.join(', ')}`, v));
};

/** A text column holding JSON, read with `parse` once decoded. */
export const json =
  <T>(parse: Reader<T>): Reader<T> =>
  (v) => {
    const text = str(v);
    let decoded: unknown;
    try {
      decoded = JSON.parse(text);
    } catch {
      return fail('JSON', text);
    }
    return parse(decoded);
  };

/** The type a row reader returns. */
export type RowOf<R> = R extends (row: unknown) => infer T ? T : never;

/**
 * A reader of a table's rows: each column named in `shape` is read with its reader (other
 * columns are left out). A row that does not fit throws a {@link RowShapeError} naming
 * `table.column`.
 */
export function row<S extends Record<string, Reader<unknown>>>(
  table: string,
  shape: S,
): (r: unknown) => Fields<S> {
  const fields = fieldsOf(shape);
  return (r) => {
    if (!isRecord(r)) throw new RowShapeError(table, 'a row', r);
    return readFields<S>(fields, r, table);
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

const countRow = row('COUNT(*)', { n: num });
/** The number of `SELECT COUNT(*) AS n …`. */
export const countOf = (r: unknown): number => countRow(r).n;

import type { Db } from './db.ts';
import { json, maybe, readAt, rowsOf, type Reader } from './rows.ts';

const valueRow = rowsOf('settings', (r) => ({ value: json(r.value, 'value', (v): unknown => v) }));

/** Small named JSON values (the only SQL for the settings table). */
export class SettingsTable {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  /**
   * The value stored under `key` (null when none), read with `parse`: a reader such as
   * `str` from `./rows.ts`, which throws on a value of another shape.
   */
  read<T>(key: string, parse: Reader<T>): T | null {
    const found = maybe(
      valueRow,
      this.#db.prepare('SELECT value FROM settings WHERE key = ?').get(key),
    );
    return found === null ? null : readAt(`settings ${JSON.stringify(key)}`, parse, found.value);
  }

  /**
   * The text stored under `key`; null when there is none, or when what is stored is not text
   * (the caller makes and stores the value again, as when there was none).
   */
  text(key: string): string | null {
    return this.read(key, (v) => (typeof v === 'string' ? v : null));
  }

  /**
   * The value stored under `key`, trusted to be a `T` (null when none). Prefer {@link read},
   * which checks the value's shape; this is kept for the callers not moved to it yet.
   */
  get<T>(key: string): T | null {
    return this.read(key, (v) => v as T);
  }

  set(key: string, value: unknown, now: string): void {
    this.#db
      .prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(key, JSON.stringify(value), now);
  }

  delete(key: string): void {
    this.#db.prepare('DELETE FROM settings WHERE key = ?').run(key);
  }
}

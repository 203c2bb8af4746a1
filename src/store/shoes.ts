import type { Run, RunId, Shoe } from '../model.ts';
import type { Db } from './db.ts';
import {
  bool01,
  json,
  maybe,
  num,
  numOrNull,
  oneOf,
  rowsOf,
  runId,
  str,
  strOrNull,
} from './rows.ts';

/** How a run got its pair. */
export type ShoeAssignment = 'default' | 'strava' | 'user';

/** kneecheck's own cut-off for the replace-shoes tip, km (issue 11: the evidence is weak). */
export const DEFAULT_SHOE_REPLACE_KM = 700;
const REPLACE_KEY = 'shoes.replaceAtKm';
/**
 * Runs whose gear is a Strava gear id (two parameters, both the id): the run's own `gear_id`, or
 * its Strava record's when a FIT record of the same run won the merge (DESIGN §3 duplicates).
 */
const RUNS_OF_GEAR = `SELECT id FROM runs WHERE gear_id = ?
  UNION SELECT run_id FROM run_sources
    WHERE source = 'strava' AND json_extract(data, '$.gearId') = ?`;

const toShoe = rowsOf('shoes', (r): Shoe => ({
  id: num(r.id, 'id'),
  name: str(r.name, 'name'),
  startedOn: str(r.started_on, 'started_on'),
  retiredOn: strOrNull(r.retired_on, 'retired_on'),
  stravaGearId: strOrNull(r.strava_gear_id, 'strava_gear_id'),
  isDefault: bool01(r.is_default, 'is_default'),
  distanceM: numOrNull(r.distance_m, 'distance_m') ?? 0,
  runs: num(r.runs, 'runs'),
}));

const SHOE_ASSIGNMENTS = ['default', 'strava', 'user'] as const satisfies readonly ShoeAssignment[];
const ofRunRow = rowsOf('run_shoes', (r) => ({
  shoe_id: num(r.shoe_id, 'shoe_id'),
  by: oneOf(r.by, 'by', SHOE_ASSIGNMENTS),
}));
const runShoeRow = rowsOf('run_shoes', (r) => ({
  run_id: runId(r.run_id, 'run_id'),
  shoe_id: num(r.shoe_id, 'shoe_id'),
}));
const idRow = rowsOf('shoes', (r) => ({ id: num(r.id, 'id') }));
const firstRow = rowsOf('runs', (r) => ({ t: strOrNull(r.t, 't') }));
const valueRow = rowsOf('settings', (r) => ({ value: json(r.value, 'value', (v): unknown => v) }));

/** Shoes, the pair of each run, and the replace-at setting (the only SQL for these tables). */
export class ShoeTable {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  /** Every pair with the distance of its counted runs, in use first, then by start date. */
  list(): Shoe[] {
    const rows = this.#db
      .prepare(
        `SELECT s.*, SUM(CASE WHEN r.excluded IS NULL THEN r.distance_m END) AS distance_m,
           COUNT(r.id) AS runs
         FROM shoes s LEFT JOIN run_shoes rs ON rs.shoe_id = s.id
           LEFT JOIN runs r ON r.id = rs.run_id
         GROUP BY s.id ORDER BY s.retired_on IS NOT NULL, s.started_on DESC, s.id`,
      )
      .all();
    return rows.map(toShoe);
  }

  get(id: number): Shoe | null {
    return this.list().find((s) => s.id === id) ?? null;
  }

  /** Adds a pair; with `isDefault` it becomes the pair new runs get. */
  add(
    shoe: { name: string; startedOn: string; stravaGearId?: string | null; isDefault?: boolean },
    now: string,
  ): Shoe {
    const id = this.#db
      .prepare(
        `INSERT INTO shoes (name, started_on, strava_gear_id, created_at) VALUES (?, ?, ?, ?)`,
      )
      .run(shoe.name, shoe.startedOn, shoe.stravaGearId ?? null, now).lastInsertRowid;
    if (shoe.isDefault) this.setDefault(Number(id));
    const added = this.get(Number(id));
    if (!added) throw new Error(`kneecheck: shoe ${id} vanished after insert`);
    return added;
  }

  /**
   * Makes `id` the default pair (null: none); false when there is no such pair. Runs without a
   * pair that started in the pair's time (from its first day, until it was put aside) get it
   * too: a runner who adds a pair after importing the history sees its km at once.
   */
  setDefault(id: number | null): boolean {
    if (id !== null && !this.#db.prepare('SELECT 1 FROM shoes WHERE id = ?').get(id)) return false;
    this.#db.prepare('UPDATE shoes SET is_default = (id IS ?)').run(id);
    if (id !== null) {
      this.#db
        .prepare(
          `INSERT INTO run_shoes (run_id, shoe_id, by)
             SELECT r.id, s.id, 'default' FROM runs r JOIN shoes s ON s.id = ?
             WHERE substr(r.start_time, 1, 10) >= s.started_on
               AND (s.retired_on IS NULL OR substr(r.start_time, 1, 10) <= s.retired_on)
               AND r.id NOT IN (SELECT run_id FROM run_shoes)`,
        )
        .run(id);
    }
    return true;
  }

  /** Puts a pair aside on `day` (`yyyy-MM-dd`), or back in use with null. */
  retire(id: number, day: string | null): boolean {
    const info = this.#db
      .prepare(
        'UPDATE shoes SET retired_on = ?, is_default = CASE WHEN ? IS NULL THEN is_default ELSE 0 END WHERE id = ?',
      )
      .run(day, day, id);
    return info.changes > 0;
  }

  /** The pair of a run and how it got it; null when the run has none. */
  ofRun(runId: RunId): { shoe: Shoe; by: ShoeAssignment } | null {
    const row = maybe(
      ofRunRow,
      this.#db.prepare('SELECT shoe_id, by FROM run_shoes WHERE run_id = ?').get(runId),
    );
    const shoe = row ? this.get(row.shoe_id) : null;
    return row && shoe ? { shoe, by: row.by } : null;
  }

  /** The pair of many runs, by run id, in one query. */
  idsOfRuns(ids: readonly RunId[]): Map<RunId, number> {
    const rows = this.#db
      .prepare(
        'SELECT run_id, shoe_id FROM run_shoes WHERE run_id IN (SELECT value FROM json_each(?))',
      )
      .all(JSON.stringify(ids))
      .map(runShoeRow);
    return new Map(rows.map((r) => [r.run_id, r.shoe_id]));
  }

  /** Sets (or with null, clears) a run's pair. */
  assign(runId: RunId, shoeId: number | null, by: ShoeAssignment): void {
    if (shoeId === null) {
      this.#db.prepare('DELETE FROM run_shoes WHERE run_id = ?').run(runId);
      return;
    }
    this.#db
      .prepare('INSERT OR REPLACE INTO run_shoes (run_id, shoe_id, by) VALUES (?, ?, ?)')
      .run(runId, shoeId, by);
  }

  /**
   * Gives a newly stored run its pair: the one Strava names (`gearId`) when known, else the
   * default pair when the run started on or after the pair's first day and before it was retired.
   */
  assignNew(run: Run): void {
    if (run.gearId) {
      const byGear = maybe(
        idRow,
        this.#db.prepare('SELECT id FROM shoes WHERE strava_gear_id = ?').get(run.gearId),
      );
      if (byGear) {
        this.assign(run.id, byGear.id, 'strava');
        return;
      }
    }
    const day = run.startTime.slice(0, 10);
    const def = maybe(
      idRow,
      this.#db
        .prepare(
          `SELECT id FROM shoes WHERE is_default = 1 AND started_on <= ?
           AND (retired_on IS NULL OR retired_on >= ?)`,
        )
        .get(day, day),
    );
    if (def) this.assign(run.id, def.id, 'default');
  }

  /** True when a pair came from this Strava gear id. */
  hasGear(gearId: string): boolean {
    return (
      this.#db.prepare('SELECT 1 FROM shoes WHERE strava_gear_id = ?').get(gearId) !== undefined
    );
  }

  /**
   * A pair from the athlete's Strava shoes (`gear_id`, name): added once, renamed when Strava's
   * name changes; every run with that gear id that the runner did not assign gets it.
   */
  mapStravaGear(gearId: string, name: string, retired: boolean, now: string): Shoe {
    const known = maybe(
      idRow,
      this.#db.prepare('SELECT id FROM shoes WHERE strava_gear_id = ?').get(gearId),
    );
    let id: number;
    if (known) {
      this.#db.prepare('UPDATE shoes SET name = ? WHERE id = ?').run(name, known.id);
      id = known.id;
    } else {
      const first = firstRow(
        this.#db
          .prepare(`SELECT MIN(r.start_time) AS t FROM runs r WHERE r.id IN (${RUNS_OF_GEAR})`)
          .get(gearId, gearId),
      );
      id = this.add(
        { name, startedOn: (first.t ?? now).slice(0, 10), stravaGearId: gearId },
        now,
      ).id;
    }
    if (retired) {
      this.#db
        .prepare('UPDATE shoes SET retired_on = COALESCE(retired_on, ?) WHERE id = ?')
        .run(now.slice(0, 10), id);
    }
    this.#db
      .prepare(
        `INSERT INTO run_shoes (run_id, shoe_id, by)
           SELECT id, ?, 'strava' FROM runs WHERE id IN (${RUNS_OF_GEAR})
         ON CONFLICT (run_id) DO UPDATE SET shoe_id = excluded.shoe_id, by = 'strava'
           WHERE run_shoes.by != 'user'`,
      )
      .run(id, gearId, gearId);
    const shoe = this.get(id);
    if (!shoe) throw new Error(`kneecheck: shoe ${id} vanished`);
    return shoe;
  }

  /** The distance at which the replace-shoes tip appears, km (kneecheck's own cut-off). */
  replaceAtKm(): number {
    const row = maybe(
      valueRow,
      this.#db.prepare('SELECT value FROM settings WHERE key = ?').get(REPLACE_KEY),
    );
    const n = row ? Number(row.value) : NaN;
    return Number.isFinite(n) && n > 0 ? n : DEFAULT_SHOE_REPLACE_KM;
  }

  setReplaceAtKm(km: number, now: string): void {
    this.#db
      .prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(REPLACE_KEY, JSON.stringify(km), now);
  }
}

import type { KneeCheck, KneeLocation, RunId } from '../model.ts';
import type { Db } from './db.ts';

interface CheckRow {
  id: number;
  run_id: string | null;
  checked_at: string;
  pain: number;
  locations: string;
  swelling: number;
  locking: number;
  giving_way: number;
  sharp: number;
  changed_gait: number;
  cannot_bear_weight: number;
  hot_red_fever: number;
  note: string | null;
}

const toCheck = (r: CheckRow): KneeCheck => ({
  id: r.id,
  runId: r.run_id as RunId | null,
  checkedAt: r.checked_at,
  pain: r.pain,
  where: JSON.parse(r.locations) as KneeLocation[],
  swelling: r.swelling === 1,
  locking: r.locking === 1,
  givingWay: r.giving_way === 1,
  sharp: r.sharp === 1,
  changedGait: r.changed_gait === 1,
  cannotBearWeight: r.cannot_bear_weight === 1,
  hotRedFever: r.hot_red_fever === 1,
  note: r.note,
});

/** Knee checks (the only SQL for the checks table). */
export class CheckTable {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  /** Stores a check and returns it with its id. */
  add(check: Omit<KneeCheck, 'id'>): KneeCheck {
    const b = (v: boolean) => (v ? 1 : 0);
    const info = this.#db
      .prepare(
        `INSERT INTO checks (run_id, checked_at, checked_unix, pain, locations, swelling, locking,
           giving_way, sharp, changed_gait, cannot_bear_weight, hot_red_fever, note)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        check.runId,
        check.checkedAt,
        Math.floor(Date.parse(check.checkedAt) / 1000),
        check.pain,
        JSON.stringify(check.where),
        b(check.swelling),
        b(check.locking),
        b(check.givingWay),
        b(check.sharp),
        b(check.changedGait),
        b(check.cannotBearWeight),
        b(check.hotRedFever),
        check.note,
      );
    return { ...check, id: Number(info.lastInsertRowid) };
  }

  /** Checks made up to `untilUnix` (default: all), oldest first. */
  list(untilUnix?: number): KneeCheck[] {
    const rows = this.#db
      .prepare('SELECT * FROM checks WHERE checked_unix <= ? ORDER BY checked_unix, id')
      .all(untilUnix ?? Number.MAX_SAFE_INTEGER) as CheckRow[];
    return rows.map(toCheck);
  }

  forRun(runId: RunId): KneeCheck[] {
    const rows = this.#db
      .prepare('SELECT * FROM checks WHERE run_id = ? ORDER BY checked_unix, id')
      .all(runId) as CheckRow[];
    return rows.map(toCheck);
  }
}

import {
  CHECK_VIAS,
  KNEE_LOCATIONS,
  KNEE_SIDES,
  type Clearance,
  type KneeCheck,
  type PainRange,
  type RunId,
} from '../model.ts';
import type { Db } from './db.ts';
import {
  arrayOf,
  bool01,
  json,
  maybe,
  num,
  numOrNull,
  oneOf,
  oneOfOrNull,
  rowsOf,
  runIdOrNull,
  str,
  strOrNull,
  word,
} from './rows.ts';

const readWhere = arrayOf(word(KNEE_LOCATIONS));

const toCheck = rowsOf('checks', (r): KneeCheck => ({
  id: num(r.id, 'id'),
  runId: runIdOrNull(r.run_id, 'run_id'),
  checkedAt: str(r.checked_at, 'checked_at'),
  knee: oneOfOrNull(r.knee, 'knee', KNEE_SIDES),
  via: oneOf(r.via, 'via', CHECK_VIAS),
  pain: num(r.pain, 'pain'),
  where: json(r.locations, 'locations', readWhere),
  swelling: bool01(r.swelling, 'swelling'),
  locking: bool01(r.locking, 'locking'),
  givingWay: bool01(r.giving_way, 'giving_way'),
  sharp: bool01(r.sharp, 'sharp'),
  changedGait: bool01(r.changed_gait, 'changed_gait'),
  cannotBearWeight: bool01(r.cannot_bear_weight, 'cannot_bear_weight'),
  hotRedFever: bool01(r.hot_red_fever, 'hot_red_fever'),
  note: strOrNull(r.note, 'note'),
  painRange: rangeOf(numOrNull(r.pain_from, 'pain_from'), numOrNull(r.pain_to, 'pain_to')),
  walkOk: okOf(r.walk_ok, 'walk_ok'),
  squatOk: okOf(r.squat_ok, 'squat_ok'),
  stairsOk: okOf(r.stairs_ok, 'stairs_ok'),
}));

/** A stored range: both ends or none. */
function rangeOf(from: number | null, to: number | null): PainRange | null {
  return from === null || to === null ? null : { from, to };
}
/** A yes/no answer that may not have been asked (NULL). */
const okOf = (v: unknown, c: string): boolean | null => (v === null ? null : bool01(v, c));

const idRow = rowsOf('checks', (r) => num(r.id, 'id'));
const toClearance = rowsOf('clearances', (r): Clearance => ({
  id: num(r.id, 'id'),
  clearedAt: str(r.cleared_at, 'cleared_at'),
  note: strOrNull(r.note, 'note'),
}));

/** A check's answers: what a correction may change (not its run, time or `via`). */
type Answers = Omit<KneeCheck, 'id' | 'runId' | 'checkedAt' | 'via'>;

/** The columns of a check's answers, in the order {@link answerValues} gives them. */
const ANSWER_COLUMNS = [
  'pain',
  'locations',
  'swelling',
  'locking',
  'giving_way',
  'sharp',
  'changed_gait',
  'cannot_bear_weight',
  'hot_red_fever',
  'note',
  'knee',
  'pain_from',
  'pain_to',
  'walk_ok',
  'squat_ok',
  'stairs_ok',
] as const;

const b = (v: boolean) => (v ? 1 : 0);
const ok = (v: boolean | null | undefined) => (v == null ? null : b(v));

/** The values of {@link ANSWER_COLUMNS} for a check, as stored. */
const answerValues = (a: Answers): (string | number | null)[] => [
  a.pain,
  JSON.stringify(a.where),
  b(a.swelling),
  b(a.locking),
  b(a.givingWay),
  b(a.sharp),
  b(a.changedGait),
  b(a.cannotBearWeight),
  b(a.hotRedFever),
  a.note,
  a.knee,
  a.painRange?.from ?? null,
  a.painRange?.to ?? null,
  ok(a.walkOk),
  ok(a.squatOk),
  ok(a.stairsOk),
];

/** Knee checks (the only SQL for the checks table). */
export class CheckTable {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  /** Stores a check and returns it with its id. */
  add(check: Omit<KneeCheck, 'id'>): KneeCheck {
    const info = this.#db
      .prepare(
        `INSERT INTO checks (run_id, checked_at, checked_unix, ${ANSWER_COLUMNS.join(', ')}, via)
         VALUES (?, ?, ?, ${ANSWER_COLUMNS.map(() => '?').join(', ')}, ?)`,
      )
      .run(
        check.runId,
        check.checkedAt,
        Math.floor(Date.parse(check.checkedAt) / 1000),
        ...answerValues(check),
        check.via,
      );
    return { ...check, id: Number(info.lastInsertRowid) };
  }

  /**
   * Changes the answers of a check (its run, time and `via` stay); false when there is no such
   * check (or it is deleted).
   */
  update(id: number, a: Answers): boolean {
    return (
      this.#db
        .prepare(
          `UPDATE checks SET ${ANSWER_COLUMNS.map((c) => `${c} = ?`).join(', ')}
           WHERE id = ? AND deleted_at IS NULL`,
        )
        .run(...answerValues(a), id).changes > 0
    );
  }

  /**
   * The latest stored check with the same run, answers and `via` made at or after `sinceUnix`
   * (a form sent twice), or null.
   */
  findSame(check: Omit<KneeCheck, 'id' | 'checkedAt'>, sinceUnix: number): KneeCheck | null {
    const row = this.#db
      .prepare(
        `SELECT * FROM checks WHERE deleted_at IS NULL AND checked_unix >= ? AND run_id IS ?
           AND via = ? AND ${ANSWER_COLUMNS.map((c) => `${c} IS ?`).join(' AND ')}
         ORDER BY checked_unix DESC, id DESC LIMIT 1`,
      )
      .get(sinceUnix, check.runId, check.via, ...answerValues(check));
    return maybe(toCheck, row);
  }

  /** Checks made up to `untilUnix` (default: all), oldest first; deleted ones are left out. */
  list(untilUnix?: number): KneeCheck[] {
    const rows = this.#db
      .prepare(
        `SELECT * FROM checks WHERE checked_unix <= ? AND deleted_at IS NULL
         ORDER BY checked_unix, id`,
      )
      .all(untilUnix ?? Number.MAX_SAFE_INTEGER);
    return rows.map(toCheck);
  }

  forRun(runId: RunId): KneeCheck[] {
    const rows = this.#db
      .prepare(
        'SELECT * FROM checks WHERE run_id = ? AND deleted_at IS NULL ORDER BY checked_unix, id',
      )
      .all(runId);
    return rows.map(toCheck);
  }

  get(id: number): KneeCheck | null {
    const row = this.#db
      .prepare('SELECT * FROM checks WHERE id = ? AND deleted_at IS NULL')
      .get(id);
    return maybe(toCheck, row);
  }

  /** Marks a check deleted (a mistake): gone from advice at once; false when no such check. */
  delete(id: number, now: string): boolean {
    return (
      this.#db
        .prepare('UPDATE checks SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL')
        .run(now, id).changes > 0
    );
  }

  /** Brings back the most recently deleted check (within 30 days); null when there is none. */
  undoDelete(now: string): KneeCheck | null {
    const cutoff = new Date(Date.parse(now) - 30 * 86_400_000).toISOString();
    const found = this.#db
      .prepare(
        `SELECT id FROM checks WHERE deleted_at IS NOT NULL AND deleted_at >= ?
         ORDER BY deleted_at DESC, id DESC LIMIT 1`,
      )
      .get(cutoff);
    const id = maybe(idRow, found);
    if (id === null) return null;
    this.#db.prepare('UPDATE checks SET deleted_at = NULL WHERE id = ?').run(id);
    return this.get(id);
  }

  /** Removes checks deleted more than 30 days before `now` for good. */
  purgeDeleted(now: string): number {
    const cutoff = new Date(Date.parse(now) - 30 * 86_400_000).toISOString();
    return this.#db
      .prepare('DELETE FROM checks WHERE deleted_at IS NOT NULL AND deleted_at < ?')
      .run(cutoff).changes;
  }

  /** Records that a clinician has seen the knee. */
  addClearance(clearedAt: string, note: string | null): Clearance {
    const info = this.#db
      .prepare('INSERT INTO clearances (cleared_at, cleared_unix, note) VALUES (?, ?, ?)')
      .run(clearedAt, Math.floor(Date.parse(clearedAt) / 1000), note);
    return { id: Number(info.lastInsertRowid), clearedAt, note };
  }

  /** Clearances recorded up to `untilUnix` (default: all), oldest first. */
  clearances(untilUnix?: number): Clearance[] {
    const rows = this.#db
      .prepare(
        `SELECT id, cleared_at, note FROM clearances WHERE cleared_unix <= ?
         ORDER BY cleared_unix, id`,
      )
      .all(untilUnix ?? Number.MAX_SAFE_INTEGER);
    return rows.map(toClearance);
  }
}

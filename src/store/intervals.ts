import type { Db } from './db.ts';

/** What kneecheck made of one intervals.icu activity. */
export interface IntervalsActivityRow {
  /** intervals.icu's id, a string (`i12345678`; a Strava stub's is Strava's number). */
  activityId: string;
  /** `start_date_local` as listed (wall-clock time, no offset): what list windows compare. */
  startLocal: string;
  /** The activity's `type` (`Run`, `Ride`, …), null for a Strava stub. */
  type: string | null;
  status: 'run' | 'skipped' | 'stub';
  /** Why it was skipped (`not a run (Ride)`, the Strava note). */
  reason: string | null;
  /** Hash of the summary fields kneecheck reads: a changed hash is an edit upstream. */
  summaryHash: string;
  /** Where the run came from: its original file, its summary, or none (not a run). */
  via: 'file' | 'summary' | 'none';
}

interface Row {
  activity_id: string;
  start_local: string;
  type: string | null;
  status: IntervalsActivityRow['status'];
  reason: string | null;
  summary_hash: string;
  via: IntervalsActivityRow['via'];
}

const toRow = (r: Row): IntervalsActivityRow => ({
  activityId: r.activity_id,
  startLocal: r.start_local,
  type: r.type,
  status: r.status,
  reason: r.reason,
  summaryHash: r.summary_hash,
  via: r.via,
});

/**
 * The intervals.icu side of the store (the only SQL for `intervals_activities`): the activities
 * seen. Taking a source off a run is the store's generic `strava.removeSource` (any source kind).
 */
export class IntervalsTable {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  get(activityId: string): IntervalsActivityRow | null {
    const row = this.#db
      .prepare('SELECT * FROM intervals_activities WHERE activity_id = ?')
      .get(activityId) as Row | undefined;
    return row ? toRow(row) : null;
  }

  put(a: IntervalsActivityRow, now: string): void {
    this.#db
      .prepare(
        `INSERT INTO intervals_activities (activity_id, start_local, type, status, reason,
           summary_hash, via, seen_at)
         VALUES (@activityId, @startLocal, @type, @status, @reason, @summaryHash, @via, @now)
         ON CONFLICT (activity_id) DO UPDATE SET start_local = excluded.start_local,
           type = excluded.type, status = excluded.status, reason = excluded.reason,
           summary_hash = excluded.summary_hash, via = excluded.via, seen_at = excluded.seen_at`,
      )
      .run({ ...a, now });
  }

  delete(activityId: string): void {
    this.#db.prepare('DELETE FROM intervals_activities WHERE activity_id = ?').run(activityId);
  }

  /** Activities whose local start is within [`oldest`, `newest`] (ISO local text, inclusive). */
  between(oldest: string, newest: string): IntervalsActivityRow[] {
    const rows = this.#db
      .prepare(
        'SELECT * FROM intervals_activities WHERE start_local >= ? AND start_local <= ? ORDER BY start_local',
      )
      .all(oldest, newest) as Row[];
    return rows.map(toRow);
  }

  counts(): { runs: number; skipped: number; stubs: number } {
    const rows = this.#db
      .prepare('SELECT status, COUNT(*) AS n FROM intervals_activities GROUP BY status')
      .all() as { status: string; n: number }[];
    const n = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
    return { runs: n('run'), skipped: n('skipped'), stubs: n('stub') };
  }

  /** Ids of every intervals.icu activity that is a source of a stored run (`-2`… legs included). */
  sourceIds(): string[] {
    const rows = this.#db
      .prepare("SELECT source_id FROM run_sources WHERE source = 'intervals' ORDER BY source_id")
      .all() as { source_id: string }[];
    return rows.map((r) => r.source_id);
  }

  /** Forgets every activity seen (disconnect with `--delete-runs`). */
  clear(): void {
    this.#db.prepare('DELETE FROM intervals_activities').run();
  }
}

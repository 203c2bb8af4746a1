import type { Run, RunId, RunSource } from '../model.ts';
import { plausibleRun } from '../load/plausible.ts';
import { runQuality } from '../merge.ts';
import type { Db } from './db.ts';
import { RunTable } from './runs.ts';

/** What kneecheck made of one Strava activity. */
export interface StravaActivityRow {
  activityId: string;
  startUnix: number;
  name: string | null;
  sportType: string;
  private: boolean;
  status: 'run' | 'skipped';
  /** Why it was skipped (`not a run (Ride)`). */
  reason: string | null;
  /** Streams: not asked for, fetched, or asked for and absent (manual activity). */
  streams: 'none' | 'fetched' | 'missing';
}

interface Row {
  activity_id: string;
  start_unix: number;
  name: string | null;
  sport_type: string;
  private: number;
  status: 'run' | 'skipped';
  reason: string | null;
  streams: StravaActivityRow['streams'];
}

const toRow = (r: Row): StravaActivityRow => ({
  activityId: r.activity_id,
  startUnix: r.start_unix,
  name: r.name,
  sportType: r.sport_type,
  private: r.private === 1,
  status: r.status,
  reason: r.reason,
  streams: r.streams,
});

/** What removing a source did to its run. */
export interface SourceRemoval {
  runId: RunId;
  /** The source was the run's only one: the run is gone. */
  runDeleted: boolean;
  /** The id the run has now (another source became canonical), when it still exists. */
  nowId: RunId | null;
}

/**
 * The Strava side of the store (the only SQL for `strava_activities`, and for taking a source
 * off a run): activities seen, and removal of what came only from Strava (DESIGN §8).
 */
export class StravaTable {
  readonly #db: Db;
  readonly #runs: RunTable;
  constructor(db: Db) {
    this.#db = db;
    this.#runs = new RunTable(db);
  }

  get(activityId: string): StravaActivityRow | null {
    const row = this.#db
      .prepare('SELECT * FROM strava_activities WHERE activity_id = ?')
      .get(activityId) as Row | undefined;
    return row ? toRow(row) : null;
  }

  put(a: StravaActivityRow, now: string): void {
    this.#db
      .prepare(
        `INSERT INTO strava_activities (activity_id, start_unix, name, sport_type, private, status,
           reason, streams, seen_at)
         VALUES (@activityId, @startUnix, @name, @sportType, @private, @status, @reason, @streams,
           @now)
         ON CONFLICT (activity_id) DO UPDATE SET start_unix = excluded.start_unix,
           name = excluded.name, sport_type = excluded.sport_type, private = excluded.private,
           status = excluded.status, reason = excluded.reason, streams = excluded.streams,
           seen_at = excluded.seen_at`,
      )
      .run({ ...a, private: a.private ? 1 : 0, now });
  }

  /** Updates only the fields a webhook `update` event carries. */
  patch(activityId: string, fields: { name?: string; private?: boolean }): void {
    if (fields.name !== undefined) {
      this.#db
        .prepare('UPDATE strava_activities SET name = ? WHERE activity_id = ?')
        .run(fields.name, activityId);
    }
    if (fields.private !== undefined) {
      this.#db
        .prepare('UPDATE strava_activities SET private = ? WHERE activity_id = ?')
        .run(fields.private ? 1 : 0, activityId);
    }
  }

  delete(activityId: string): void {
    this.#db.prepare('DELETE FROM strava_activities WHERE activity_id = ?').run(activityId);
  }

  /** Activities seen that started after `unixS` (exclusive), oldest first. */
  startingAfter(unixS: number): StravaActivityRow[] {
    const rows = this.#db
      .prepare('SELECT * FROM strava_activities WHERE start_unix > ? ORDER BY start_unix')
      .all(unixS) as Row[];
    return rows.map(toRow);
  }

  counts(): { runs: number; skipped: number } {
    const rows = this.#db
      .prepare('SELECT status, COUNT(*) AS n FROM strava_activities GROUP BY status')
      .all() as { status: string; n: number }[];
    const n = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
    return { runs: n('run'), skipped: n('skipped') };
  }

  /** The run as one source described it when it was stored. */
  sourceData(source: RunSource): Run | null {
    const row = this.#db
      .prepare('SELECT data FROM run_sources WHERE source = ? AND source_id = ?')
      .get(source.source, source.sourceId) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as Run) : null;
  }

  /**
   * Stores a source's new description of its run (an edit on Strava); when that source is the
   * run's canonical record, the run's fields follow.
   */
  updateSource(run: Run, now: string): RunId | null {
    const runId = this.#runs.runIdOfSource(run);
    if (!runId) return null;
    this.#db
      .prepare('UPDATE run_sources SET data = ? WHERE source = ? AND source_id = ?')
      .run(JSON.stringify(run), run.source, run.sourceId);
    const stored = this.#runs.get(runId);
    if (stored && stored.source === run.source && stored.sourceId === run.sourceId) {
      // The source's data is kept as Strava sent it; the run gets its plausible values.
      this.#runs.replace(runId, plausibleRun({ run, form: null }, new Date(now)).run, now);
    }
    return runId;
  }

  /**
   * Takes one source off its run: the run is deleted when that was its only source; otherwise,
   * when it was the canonical record, the best remaining source becomes the run's data. A form
   * summary built from the removed source goes with it.
   */
  removeSource(source: RunSource, now: string): SourceRemoval | null {
    const runId = this.#runs.runIdOfSource(source);
    if (!runId) return null;
    this.#db
      .prepare('DELETE FROM run_sources WHERE source = ? AND source_id = ?')
      .run(source.source, source.sourceId);
    this.#db
      .prepare('DELETE FROM form_summaries WHERE run_id = ? AND source = ? AND source_id = ?')
      .run(runId, source.source, source.sourceId);
    const others = (
      this.#db.prepare('SELECT data FROM run_sources WHERE run_id = ?').all(runId) as {
        data: string;
      }[]
    ).map((r) => plausibleRun({ run: JSON.parse(r.data) as Run, form: null }, new Date(now)).run);
    if (others.length === 0) {
      this.#db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
      return { runId, runDeleted: true, nowId: null };
    }
    const stored = this.#runs.get(runId);
    if (stored && stored.source === source.source && stored.sourceId === source.sourceId) {
      const best = others.sort((a, b) => runQuality(b) - runQuality(a))[0] as Run;
      this.#runs.replace(runId, best, now);
      return { runId, runDeleted: false, nowId: best.id };
    }
    return { runId, runDeleted: false, nowId: runId };
  }

  /** Ids of every Strava activity that is a source of a stored run. */
  sourceIds(): string[] {
    const rows = this.#db
      .prepare("SELECT source_id FROM run_sources WHERE source = 'strava' ORDER BY source_id")
      .all() as { source_id: string }[];
    return rows.map((r) => r.source_id);
  }

  /** Forgets every Strava activity seen (after a disconnect). */
  clear(): void {
    this.#db.prepare('DELETE FROM strava_activities').run();
  }
}

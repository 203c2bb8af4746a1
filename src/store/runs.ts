import type { FormSummary, Run, RunExclusion, RunId, RunMark, RunSource } from '../model.ts';
import type { Statement } from 'better-sqlite3';
import { statementCache, type Db } from './db.ts';
import {
  formRow,
  markRow,
  runIdRow,
  runRow,
  sourceRow,
  startRow,
  startUnixRow,
} from './run-rows.ts';
import { countOf, maybe } from './rows.ts';

const unixOf = (run: Run): number => Math.round(Date.parse(run.startTime) / 1000);

const rowParams = (run: Run, now: string) => ({
  id: run.id,
  source: run.source,
  source_id: run.sourceId,
  start_unix: unixOf(run),
  start_time: run.startTime,
  timezone: run.timezone,
  sport: run.sport,
  sub_sport: run.subSport,
  distance_m: run.distanceM,
  moving_time_s: run.movingTimeS,
  elapsed_time_s: run.elapsedTimeS,
  avg_speed_mps: run.avgSpeedMps,
  avg_cadence_spm: run.avgCadenceSpm,
  avg_step_length_m: run.avgStepLengthM,
  avg_heart_rate_bpm: run.avgHeartRateBpm,
  device: run.device,
  gear_id: run.gearId,
  partial: run.partial ? 1 : 0,
  warnings: JSON.stringify(run.warnings),
  excluded: run.excluded ? JSON.stringify(run.excluded) : null,
  now,
});

/**
 * SQL: the ids of, for each knee check `c` (not deleted) meeting `which`, the latest counted run
 * that started in an earlier second and any run started in its second or the next: enough to
 * tell, to the millisecond, which run came last before the check.
 */
const runsAroundChecks = (which: string): string => `
  SELECT (SELECT id FROM runs WHERE excluded IS NULL AND start_unix < c.checked_unix
          ORDER BY start_unix DESC LIMIT 1)
  FROM checks c WHERE c.deleted_at IS NULL AND ${which}
  UNION
  SELECT r.id FROM checks c JOIN runs r ON r.start_unix BETWEEN c.checked_unix AND c.checked_unix + 1
  WHERE c.deleted_at IS NULL AND ${which}`;

/** Runs, their sources and their form summaries (the only SQL for these tables). */
export class RunTable {
  readonly #db: Db;
  /** The statement for some SQL, prepared once per table (not for `iterate()`). */
  readonly #prep: (sql: string) => Statement;
  constructor(db: Db) {
    this.#db = db;
    this.#prep = statementCache(db);
  }

  /** Inserts a new run with its one source (`asSeen`: the source's record as it came, by default `run`). */
  insert(run: Run, fileSha256: string | null, now: string, asSeen: Run = run): void {
    this.#prep(
      `INSERT INTO runs (id, source, source_id, start_unix, start_time, timezone, sport, sub_sport,
           distance_m, moving_time_s, elapsed_time_s, avg_speed_mps, avg_cadence_spm,
           avg_step_length_m, avg_heart_rate_bpm, device, gear_id, partial, warnings, excluded,
           created_at, updated_at)
         VALUES (@id, @source, @source_id, @start_unix, @start_time, @timezone, @sport, @sub_sport,
           @distance_m, @moving_time_s, @elapsed_time_s, @avg_speed_mps, @avg_cadence_spm,
           @avg_step_length_m, @avg_heart_rate_bpm, @device, @gear_id, @partial, @warnings,
           @excluded, @now, @now)`,
    ).run(rowParams(run, now));
    this.addSource(run.id, asSeen, fileSha256, now);
  }

  /** Records another origin of an existing run (the run itself is unchanged). */
  addSource(runId: RunId, asSeen: Run, fileSha256: string | null, now: string): void {
    this.#prep(
      `INSERT OR IGNORE INTO run_sources (source, source_id, run_id, file_sha256, data, added_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(asSeen.source, asSeen.sourceId, runId, fileSha256, JSON.stringify(asSeen), now);
  }

  /**
   * Makes `run` the canonical record of the stored run `oldId`: its fields win and its id becomes
   * the run's id (sources and form summary follow through ON UPDATE CASCADE).
   */
  replace(oldId: RunId, run: Run, now: string): void {
    this.#prep(
      `UPDATE runs SET id = @id, source = @source, source_id = @source_id,
           start_unix = @start_unix, start_time = @start_time, timezone = @timezone,
           sport = @sport, sub_sport = @sub_sport, distance_m = @distance_m,
           moving_time_s = @moving_time_s, elapsed_time_s = @elapsed_time_s,
           avg_speed_mps = @avg_speed_mps, avg_cadence_spm = @avg_cadence_spm,
           avg_step_length_m = @avg_step_length_m, avg_heart_rate_bpm = @avg_heart_rate_bpm,
           device = @device, gear_id = COALESCE(@gear_id, gear_id), partial = @partial,
           warnings = @warnings,
           excluded = CASE WHEN json_extract(excluded, '$.by') = 'user' THEN excluded
                           ELSE @excluded END,
           updated_at = @now
         WHERE id = @old_id`,
    ).run({ ...rowParams(run, now), old_id: oldId });
  }

  /** Stores the form summary of a run, replacing the one it had. */
  putForm(runId: RunId, from: RunSource, form: FormSummary): void {
    this.#prep(
      `INSERT OR REPLACE INTO form_summaries (run_id, source, source_id, speed_bins,
           first_fifth_cadence_spm, last_fifth_cadence_spm, first_fifth_speed_mps,
           last_fifth_speed_mps, device_step_length_m, sample_count)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      runId,
      from.source,
      from.sourceId,
      JSON.stringify(form.speedBins),
      form.firstFifthCadenceSpm,
      form.lastFifthCadenceSpm,
      form.firstFifthSpeedMps,
      form.lastFifthSpeedMps,
      form.deviceStepLengthM,
      form.sampleCount,
    );
  }

  hasForm(runId: RunId): boolean {
    return this.#prep('SELECT 1 FROM form_summaries WHERE run_id = ?').get(runId) !== undefined;
  }

  getForm(runId: RunId): FormSummary | null {
    const found = this.#prep('SELECT * FROM form_summaries WHERE run_id = ?').get(runId);
    return maybe(formRow, found)?.[1] ?? null;
  }

  /** The run that already holds this source, if any. */
  runIdOfSource(source: RunSource): RunId | null {
    const r = this.#prep('SELECT run_id FROM run_sources WHERE source = ? AND source_id = ?').get(
      source.source,
      source.sourceId,
    );
    return maybe(runIdRow, r);
  }

  /** Runs stored from a file's bytes. */
  runIdsOfFile(sha256: string): RunId[] {
    return this.#prep(
      'SELECT DISTINCT run_id FROM run_sources WHERE file_sha256 = ? ORDER BY run_id',
    )
      .all(sha256)
      .map(runIdRow);
  }

  /** The first (by id) run stored from a file's bytes, or null. */
  firstRunIdOfFile(sha256: string): RunId | null {
    const first = this.#prep(
      'SELECT run_id FROM run_sources WHERE file_sha256 = ? ORDER BY run_id LIMIT 1',
    );
    return maybe(runIdRow, first.get(sha256));
  }

  /** Runs starting within `windowS` seconds of `unixS`. */
  near(unixS: number, windowS: number): Run[] {
    const rows = this.#prep(
      'SELECT * FROM runs WHERE start_unix BETWEEN ? AND ? ORDER BY start_unix',
    )
      .all(unixS - windowS, unixS + windowS)
      .map(runRow);
    return rows.map((r) => this.#withSources(r));
  }

  get(id: RunId): Run | null {
    const r = maybe(runRow, this.#prep('SELECT * FROM runs WHERE id = ?').get(id));
    return r ? this.#withSources(r) : null;
  }

  /**
   * Runs, newest first; `sinceUnix`/`untilUnix` bound the start time (inclusive); `offset` skips
   * that many of them (paging).
   */
  list(
    opts: {
      sinceUnix?: number | undefined;
      untilUnix?: number | undefined;
      limit?: number | undefined;
      offset?: number | undefined;
    } = {},
  ): Run[] {
    const rows = this.#prep(
      `SELECT * FROM runs WHERE start_unix >= ? AND start_unix <= ?
         ORDER BY start_unix DESC, id LIMIT ? OFFSET ?`,
    )
      .all(
        opts.sinceUnix ?? Number.MIN_SAFE_INTEGER,
        opts.untilUnix ?? Number.MAX_SAFE_INTEGER,
        opts.limit ?? -1,
        opts.offset ?? 0,
      )
      .map(runRow);
    const sources = this.#sourcesOf(rows.map((r) => r.id));
    return rows.map((r) => this.#withSources(r, sources.get(r.id) ?? []));
  }

  /**
   * The runs an analysis needs, newest first, in one query: every run that started from
   * `sinceUnix` to `untilUnix` (inclusive), and further back:
   * - the latest counted (not excluded) run before `sinceUnix` and the runs of the `beforeS`
   *   seconds up to it (a comeback after a long break sees the run before it and the weeks before);
   * - at least the latest `atLeast` counted runs;
   * - with `advice`, for every knee check from `checksSinceUnix` to `untilUnix`, the run it
   *   names, the latest counted run that started in an earlier second and any run started in its
   *   second or the next, so that what a check was "about" is the same as in the whole history
   *   (older checks: {@link marksBeforeChecks}).
   */
  listWindow(opts: {
    sinceUnix: number;
    untilUnix: number;
    beforeS: number;
    atLeast: number;
    advice: boolean;
    /** Knee checks from this time on bring their runs (default: every check). */
    checksSinceUnix?: number;
  }): Run[] {
    const rows = this.#prep(
      `WITH counted AS (SELECT start_unix FROM runs WHERE excluded IS NULL AND start_unix <= @until)
         SELECT * FROM runs
         WHERE start_unix <= @until AND (start_unix >= MIN(
           @since,
           COALESCE((SELECT MAX(start_unix) FROM counted WHERE start_unix < @since) - @before, @since),
           COALESCE((SELECT start_unix FROM counted ORDER BY start_unix DESC LIMIT 1 OFFSET @nth), @since))
           OR (@advice AND id IN (
             SELECT run_id FROM checks
             WHERE deleted_at IS NULL AND checked_unix BETWEEN @checksSince AND @until
               AND run_id IS NOT NULL
             UNION ${runsAroundChecks('c.checked_unix BETWEEN @checksSince AND @until')})))
         ORDER BY start_unix DESC, id`,
    )
      .all({
        since: opts.sinceUnix,
        until: opts.untilUnix,
        before: opts.beforeS,
        nth: Math.max(0, opts.atLeast - 1),
        advice: opts.advice ? 1 : 0,
        checksSince: opts.checksSinceUnix ?? Number.MIN_SAFE_INTEGER,
      })
      .map(runRow);
    const sources = this.#sourcesOf(rows.map((r) => r.id));
    return rows.map((r) => this.#withSources(r, sources.get(r.id) ?? []));
  }

  /**
   * For every knee check made before `beforeUnix`, the latest counted run that started in an
   * earlier second and the counted runs started in its second or the next, as marks (start and
   * length, no more): what the advice needs of the runs before old checks, read in one query.
   */
  marksBeforeChecks(beforeUnix: number): RunMark[] {
    return this.#prep(
      `SELECT id, start_time, elapsed_time_s, moving_time_s FROM runs
         WHERE excluded IS NULL AND id IN (${runsAroundChecks('c.checked_unix < @before')})
         ORDER BY start_unix, id`,
    )
      .all({ before: beforeUnix })
      .map(markRow);
  }

  /**
   * The start times of the counted (not excluded) runs up to `untilUnix`, newest first, read one
   * by one as the caller goes (it stops when it has seen enough).
   */
  *countedStarts(untilUnix: number): Generator<{ startUnix: number; startTime: string }> {
    // Prepared anew: an iterated statement is busy until the caller stops reading.
    const rows = this.#db
      .prepare(
        `SELECT start_unix, start_time FROM runs WHERE excluded IS NULL AND start_unix <= ?
         ORDER BY start_unix DESC`,
      )
      .iterate(untilUnix);
    for (const r of rows) yield startRow(r);
  }

  /** Form summaries of the given runs, by run id (runs without one are absent); one query. */
  forms(ids: readonly RunId[]): Map<RunId, FormSummary> {
    const rows = this.#prep(
      'SELECT * FROM form_summaries WHERE run_id IN (SELECT value FROM json_each(?))',
    ).all(JSON.stringify(ids));
    return new Map(rows.map(formRow));
  }

  count(): number {
    return countOf(this.#db.prepare('SELECT COUNT(*) AS n FROM runs').get());
  }

  /**
   * The runs of these ids that started at or before `untilUnix`, newest first, in one query (a
   * page's links to the runs of older knee checks, without reading every run).
   */
  byIds(ids: readonly RunId[], untilUnix: number): Run[] {
    if (ids.length === 0) return [];
    const rows = this.#prep(
      `SELECT * FROM runs WHERE id IN (SELECT value FROM json_each(?)) AND start_unix <= ?
         ORDER BY start_unix DESC, id`,
    )
      .all(JSON.stringify(ids), untilUnix)
      .map(runRow);
    const sources = this.#sourcesOf(rows.map((r) => r.id));
    return rows.map((r) => this.#withSources(r, sources.get(r.id) ?? []));
  }

  /** Runs starting at or before `untilUnix`, excluded ones included (a page's "All N runs"). */
  countUntil(untilUnix: number): number {
    return countOf(
      this.#prep('SELECT COUNT(*) AS n FROM runs WHERE start_unix <= ?').get(untilUnix),
    );
  }

  /** Runs starting between `sinceUnix` and `untilUnix` (inclusive). */
  countBetween(sinceUnix: number, untilUnix: number): number {
    return countOf(
      this.#db
        .prepare('SELECT COUNT(*) AS n FROM runs WHERE start_unix >= ? AND start_unix <= ?')
        .get(sinceUnix, untilUnix),
    );
  }

  /** Months (as `monthOf` names a start, e.g. `yyyy-MM`) holding runs, newest first, with counts. */
  months(monthOf: (unixS: number) => string): { month: string; runs: number }[] {
    const rows = this.#db.prepare('SELECT start_unix FROM runs ORDER BY start_unix DESC').all();
    const out = new Map<string, number>();
    for (const r of rows) {
      const m = monthOf(startUnixRow(r));
      out.set(m, (out.get(m) ?? 0) + 1);
    }
    return [...out].map(([month, runs]) => ({ month, runs }));
  }

  /** The sources of many runs in one query, each run's in the order they were added. */
  #sourcesOf(ids: readonly string[]): Map<string, RunSource[]> {
    // Only the sources beside the one each run was stored from (which its row names): most runs
    // have none, and a long list of runs is read without a row per run.
    const rows = this.#prep(
      `SELECT s.run_id, s.source, s.source_id FROM run_sources s JOIN runs r ON r.id = s.run_id
         WHERE s.run_id IN (SELECT value FROM json_each(?))
           AND NOT (s.source = r.source AND s.source_id = r.source_id)
         ORDER BY s.run_id, s.added_at, s.source_id`,
    ).all(JSON.stringify(ids));
    const out = new Map<string, RunSource[]>();
    for (const raw of rows) {
      const r = sourceRow(raw);
      const list = out.get(r.runId) ?? [];
      list.push(r.source);
      out.set(r.runId, list);
    }
    return out;
  }

  /** The run with its sources: the one it was stored from first, then the others (`stored`). */
  #withSources(run: Run, stored?: readonly RunSource[]): Run {
    const primary: RunSource = { source: run.source, sourceId: run.sourceId };
    const all = stored ?? this.#sourcesOf([run.id]).get(run.id) ?? [];
    const rest = all.filter((s) => s.source !== primary.source || s.sourceId !== primary.sourceId);
    run.sources = [primary, ...rest];
    return run;
  }

  /** Keeps a run out of (or, with `null`, back in) every metric; false when no such run. */
  setExcluded(id: RunId, excluded: RunExclusion | null, now: string): boolean {
    const info = this.#prep('UPDATE runs SET excluded = ?, updated_at = ? WHERE id = ?').run(
      excluded ? JSON.stringify(excluded) : null,
      now,
      id,
    );
    return info.changes > 0;
  }
}

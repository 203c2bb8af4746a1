import path from 'node:path';
import type { Statement } from 'better-sqlite3';
import type { ImportedRun, Run, RunId } from '../model.ts';
import { MATCH_WINDOW_S, isPhantomBeside, isSameRun, mayReplace, phantomReason } from '../merge.ts';
import { MAX_DURATION_S, hasImplausibleValue, plausibleRun } from '../load/plausible.ts';
import { openDb, type Db } from './db.ts';
import { CheckTable } from './checks.ts';
import { FileTable, type FileRecord } from './files.ts';
import { OutboxTable } from './outbox.ts';
import { ReplyTable } from './replies.ts';
import { RunTable } from './runs.ts';
import { SeriesTable } from './series.ts';
import { ShoeTable } from './shoes.ts';
import { SettingsTable } from './settings.ts';
import { StravaTable } from './strava.ts';
import { IntervalsTable } from './intervals.ts';

export type { FileRecord, FileStatus } from './files.ts';
export type { SourceRemoval, StravaActivityRow } from './strava.ts';
export type { IntervalsActivityRow } from './intervals.ts';

/** What storing one imported run did. */
export type SaveResult =
  | {
      status: 'imported';
      run: Run;
      /** The id this run had until this record won the merge (it was stored from another file). */
      supersedes: RunId | null;
    }
  | { status: 'duplicate'; of: RunId };

export const DB_FILE_NAME = 'kneecheck.sqlite';

/**
 * The typed face of the database: the only code that writes SQL lives behind it (DESIGN §2), so
 * another engine can replace SQLite without touching the rest. The connection itself is private:
 * callers use the tables' typed methods, never SQL.
 */
export class Store {
  readonly #db: Db;
  #dataVersion: Statement | null = null;
  readonly runs: RunTable;
  readonly files: FileTable;
  readonly checks: CheckTable;
  readonly outbox: OutboxTable;
  readonly settings: SettingsTable;
  /** Pace, step rate and heart rate over each run (run page charts). */
  readonly series: SeriesTable;
  /** Running shoes, each run's pair, the replace-at distance. */
  readonly shoes: ShoeTable;
  /** Prompts answered on the phone through the ntfy reply topic. */
  readonly replies: ReplyTable;
  /** Strava activities seen, and taking a Strava source off its run (DESIGN §8). */
  readonly strava: StravaTable;
  /** intervals.icu activities seen (issue 22). */
  readonly intervals: IntervalsTable;

  constructor(db: Db) {
    this.#db = db;
    this.runs = new RunTable(db);
    this.files = new FileTable(db);
    this.checks = new CheckTable(db);
    this.outbox = new OutboxTable(db);
    this.settings = new SettingsTable(db);
    this.series = new SeriesTable(db);
    this.shoes = new ShoeTable(db);
    this.replies = new ReplyTable(db);
    this.strava = new StravaTable(db);
    this.intervals = new IntervalsTable(db);
  }

  /** Opens `<dataDir>/kneecheck.sqlite`, creating and migrating it as needed. */
  static open(dataDir: string): Store {
    return new Store(openDb(path.join(dataDir, DB_FILE_NAME)));
  }

  close(): void {
    this.#db.close();
  }

  /**
   * Checks the database for `/healthz`: SQLite's `quick_check` (every page read and its b-tree
   * structure checked; stops at the first problem), at most once per `maxAgeMs` (default 30 s:
   * on a runner's database of a few MB it takes milliseconds, and a damaged page stays damaged).
   * Throws the database's error, or an Error with code SQLITE_CORRUPT naming what it found.
   */
  ping(maxAgeMs = 30_000): void {
    const at = performance.now();
    const last = this.#checked;
    if (last && at - last.at < maxAgeMs) {
      if (last.error) throw last.error;
      return;
    }
    let error: Error | null = null;
    try {
      const found = this.#db.pragma('quick_check(1)', { simple: true });
      if (found !== 'ok') {
        error = Object.assign(new Error(`database damaged: ${String(found)}`), {
          code: 'SQLITE_CORRUPT',
        });
      }
    } catch (e) {
      error = e instanceof Error ? e : new Error(String(e));
    }
    this.#checked = { at, error };
    if (error) throw error;
  }
  /** The last {@link ping}: when (performance.now() ms) and what it found. */
  #checked: { at: number; error: Error | null } | null = null;

  /**
   * A number that changes whenever another connection (another process) commits a change to the
   * database (SQLite's data_version): what was read before is still current while it stays the same.
   */
  changesElsewhere(): number {
    // Asked once per write transaction of an import: prepared once.
    this.#dataVersion ??= this.#db.prepare('PRAGMA data_version').pluck();
    return this.#dataVersion.get() as number;
  }

  /**
   * Runs `fn` in one write transaction that takes the database's write lock first, so the
   * "already stored?" checks and the inserts are atomic even with another process importing.
   */
  batch<T>(fn: () => T): T {
    return this.#db.transaction(fn).immediate();
  }

  /**
   * Stores a run once: a source seen before, or the same run from another record (DESIGN §3
   * duplicates), becomes a duplicate; the better record of the two becomes the run's data (a
   * damaged or implausible record, or a second copy from the same device, never replaces a clean
   * one: `mayReplace`). Every record is
   * first made plausible (`plausibleRun`, science.md "Impossible numbers are not evidence"), with
   * `now` (ISO) as the present.
   */
  saveRun(given: ImportedRun, fileSha256: string | null, now: string): SaveResult {
    const known = this.runs.runIdOfSource(given.run);
    if (known) return { status: 'duplicate', of: known };
    const { run, form } = plausibleRun(given, new Date(now));

    const match = this.sameRun(run);
    if (!match) {
      this.#keepPhantomsOut(run, now);
      this.runs.insert(run, fileSha256, now, given.run);
      if (form) this.runs.putForm(run.id, run, form);
      if (given.series) this.series.put(run.id, run, given.series);
      this.shoes.assignNew(run);
      return { status: 'imported', run: this.runs.get(run.id) ?? run, supersedes: null };
    }
    this.runs.addSource(match.id, given.run, fileSha256, now);
    if (mayReplace(run, match)) {
      this.#keepPhantomsOut(run, now);
      this.runs.replace(match.id, run, now);
      if (form) this.runs.putForm(run.id, run, form);
      if (given.series) this.series.put(run.id, run, given.series);
      return { status: 'imported', run: this.runs.get(run.id) ?? run, supersedes: match.id };
    }
    // A damaged copy's samples may lend a form summary to a run without one; an implausible one's not.
    if (form && !hasImplausibleValue(run) && !this.runs.hasForm(match.id)) {
      this.runs.putForm(match.id, run, form);
    }
    if (given.series && !hasImplausibleValue(run) && !this.series.has(match.id)) {
      this.series.put(match.id, run, given.series);
    }
    return { status: 'duplicate', of: match.id };
  }

  /**
   * A rebuilt partial record overlapping a clean run of the same device counts in no metric
   * (issue 21's phantom 52.5 km beside the honest 9.8 km), whichever of the two came first:
   * `run` (about to be stored) is marked, or the stored phantoms beside it are.
   */
  #keepPhantomsOut(run: Run, now: string): void {
    const near = this.runs.near(Date.parse(run.startTime) / 1000, MAX_DURATION_S);
    if (run.excluded === null) {
      const clean = near.find((c) => c.excluded === null && isPhantomBeside(run, c));
      if (clean) run.excluded = { reason: phantomReason(clean), by: 'kneecheck' };
    }
    for (const p of near) {
      if (p.excluded === null && isPhantomBeside(p, run)) {
        this.runs.setExcluded(p.id, { reason: phantomReason(run), by: 'kneecheck' }, now);
      }
    }
  }

  /** The stored run that `run` is another record of (DESIGN §3 duplicates), the nearest in time. */
  sameRun(run: Run): Run | null {
    const unix = Date.parse(run.startTime) / 1000;
    return (
      this.runs
        .near(unix, MATCH_WINDOW_S)
        .filter((c) => isSameRun(c, run))
        .sort(
          (a, b) =>
            Math.abs(Date.parse(a.startTime) / 1000 - unix) -
            Math.abs(Date.parse(b.startTime) / 1000 - unix),
        )[0] ?? null
    );
  }

  recordFile(file: FileRecord, now: string): void {
    this.files.put(file, now);
  }
}

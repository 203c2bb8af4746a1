import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Database from 'better-sqlite3';
import {
  KneecheckError,
  dbProblemOf,
  dbProblemText,
  onDisk,
  rememberDatabaseFile,
} from '../errors.ts';

// better-sqlite3 is CommonJS: required as such, not imported through Node's ESM wrapper (which
// parses the module for its export names first: ~1 ms of every command's start-up).
const SqliteDatabase = createRequire(import.meta.url)('better-sqlite3') as typeof Database;

export type Db = Database.Database;

/**
 * Statements by their SQL, prepared on first use and reused (an import stores runs by the
 * hundred). Not for `iterate()`: a statement being iterated is busy, so a second caller of the
 * same SQL would fail.
 */
export function statementCache(db: Db): (sql: string) => Database.Statement {
  const stmts = new Map<string, Database.Statement>();
  return (sql) => {
    let st = stmts.get(sql);
    if (!st) {
      st = db.prepare(sql);
      stmts.set(sql, st);
    }
    return st;
  };
}

/**
 * Versioned migrations, applied in order inside one transaction each; `user_version` holds the
 * number applied. Append only: a released migration is never edited.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    start_unix INTEGER NOT NULL,
    start_time TEXT NOT NULL,
    timezone TEXT NOT NULL,
    sport TEXT NOT NULL,
    sub_sport TEXT,
    distance_m REAL,
    moving_time_s REAL,
    elapsed_time_s REAL,
    avg_speed_mps REAL,
    avg_cadence_spm REAL,
    avg_step_length_m REAL,
    avg_heart_rate_bpm REAL,
    device TEXT,
    gear_id TEXT,
    partial INTEGER NOT NULL DEFAULT 0,
    warnings TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX runs_start_unix ON runs(start_unix);

  -- Every origin of a run, with the run as that origin described it, so a merge can be redone.
  CREATE TABLE run_sources (
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    run_id TEXT NOT NULL REFERENCES runs(id) ON UPDATE CASCADE ON DELETE CASCADE,
    file_sha256 TEXT,
    data TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (source, source_id)
  );
  CREATE INDEX run_sources_run ON run_sources(run_id);
  CREATE INDEX run_sources_file ON run_sources(file_sha256);

  -- Per-run samples summary for form analysis (speed bins, first/last fifth, step length).
  CREATE TABLE form_summaries (
    run_id TEXT PRIMARY KEY REFERENCES runs(id) ON UPDATE CASCADE ON DELETE CASCADE,
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    speed_bins TEXT NOT NULL,
    first_fifth_cadence_spm REAL,
    last_fifth_cadence_spm REAL,
    first_fifth_speed_mps REAL,
    last_fifth_speed_mps REAL,
    device_step_length_m REAL,
    sample_count INTEGER NOT NULL
  );

  -- Every file seen, by content: what became of it and why.
  CREATE TABLE files (
    sha256 TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('imported', 'duplicate', 'skipped', 'failed')),
    message TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
  );
  `,
  `
  -- Knee checks: after a run, the next morning, or any time.
  CREATE TABLE checks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT REFERENCES runs(id) ON UPDATE CASCADE ON DELETE SET NULL,
    checked_at TEXT NOT NULL,
    checked_unix INTEGER NOT NULL,
    pain INTEGER NOT NULL CHECK (pain BETWEEN 0 AND 10),
    locations TEXT NOT NULL DEFAULT '[]',
    swelling INTEGER NOT NULL DEFAULT 0,
    locking INTEGER NOT NULL DEFAULT 0,
    giving_way INTEGER NOT NULL DEFAULT 0,
    sharp INTEGER NOT NULL DEFAULT 0,
    changed_gait INTEGER NOT NULL DEFAULT 0,
    cannot_bear_weight INTEGER NOT NULL DEFAULT 0,
    hot_red_fever INTEGER NOT NULL DEFAULT 0,
    note TEXT
  );
  CREATE INDEX checks_time ON checks(checked_unix);
  CREATE INDEX checks_run ON checks(run_id);
  `,
  `
  -- Notification outbox: stored before sending; one row per subject x kind x channel, so a
  -- message is delivered at most once and retried (with backoff) until it is.
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT NOT NULL,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    run_id TEXT REFERENCES runs(id) ON UPDATE CASCADE ON DELETE CASCADE,
    message TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    due_unix INTEGER NOT NULL,
    give_up_unix INTEGER NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    UNIQUE (subject, kind, channel)
  );
  CREATE INDEX outbox_due ON outbox(status, due_unix);

  -- Small named values (last sync, web secrets, sync cursors), as JSON.
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  `
  -- Every Strava activity seen by a sync or a webhook: whether it became a run (and which) or
  -- was skipped (and why), as last mapped, so edits are noticed and nothing is imported twice.
  CREATE TABLE strava_activities (
    activity_id TEXT PRIMARY KEY,
    start_unix INTEGER NOT NULL,
    name TEXT,
    sport_type TEXT NOT NULL,
    private INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('run', 'skipped')),
    reason TEXT,
    streams TEXT NOT NULL DEFAULT 'none' CHECK (streams IN ('none', 'fetched', 'missing')),
    seen_at TEXT NOT NULL
  );
  CREATE INDEX strava_activities_start ON strava_activities(start_unix);
  `,
  `
  -- A run kept out of every metric: JSON {reason, by: "user"|"kneecheck"}, NULL when it counts.
  ALTER TABLE runs ADD COLUMN excluded TEXT;

  -- A deleted check (a mistake) is gone from advice at once, and from the table after 30 days.
  ALTER TABLE checks ADD COLUMN deleted_at TEXT;

  -- "A clinician has seen my knee": red flags raised before this stop standing (science.md).
  CREATE TABLE clearances (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    cleared_at TEXT NOT NULL,
    cleared_unix INTEGER NOT NULL,
    note TEXT
  );
  CREATE INDEX clearances_time ON clearances(cleared_unix);
  `,
  `
  -- Which knee (left/right/both; NULL: not said) and where the check was entered.
  ALTER TABLE checks ADD COLUMN knee TEXT CHECK (knee IN ('left', 'right', 'both'));
  ALTER TABLE checks ADD COLUMN via TEXT NOT NULL DEFAULT 'cli'
    CHECK (via IN ('cli', 'web', 'api', 'notification'));
  `,
  `
  -- Knee checks answered on the phone through the ntfy reply topic (issue 15). A series is one
  -- run's prompt and its follow-up questions (one ntfy sequence id); answers is JSON
  -- [{step, answer, at}] in the order given; check_id is the check recorded from it.
  CREATE TABLE reply_series (
    id TEXT PRIMARY KEY,
    run_id TEXT REFERENCES runs(id) ON UPDATE CASCADE ON DELETE CASCADE,
    created_unix INTEGER NOT NULL,
    last_answer_unix INTEGER,
    answers TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'recorded')),
    check_id INTEGER
  );
  CREATE INDEX reply_series_open ON reply_series(status, last_answer_unix);

  -- One prompt the daemon sent: an answer counts only with its nonce, before it expires, once.
  CREATE TABLE reply_prompts (
    id TEXT PRIMARY KEY,
    series_id TEXT NOT NULL REFERENCES reply_series(id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    nonce TEXT NOT NULL,
    created_unix INTEGER NOT NULL,
    expires_unix INTEGER NOT NULL,
    answer TEXT,
    answered_unix INTEGER
  );
  CREATE INDEX reply_prompts_series ON reply_prompts(series_id);
  `,
  `
  -- Pace, step rate and heart rate over a run in fixed slots (10 s), for the run page's charts:
  -- three little-endian uint16 tracks (speed cm/s, step rate and heart rate in tenths, 65535 =
  -- no sample), 6 bytes a slot.
  CREATE TABLE run_series (
    run_id TEXT PRIMARY KEY REFERENCES runs(id) ON UPDATE CASCADE ON DELETE CASCADE,
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    step_s INTEGER NOT NULL CHECK (step_s > 0),
    slots INTEGER NOT NULL,
    data BLOB NOT NULL
  );
  `,
  `
  -- Running shoes (issue 11): a pair, the run it was worn on, the default pair for new runs.
  CREATE TABLE shoes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    started_on TEXT NOT NULL,
    retired_on TEXT,
    strava_gear_id TEXT UNIQUE,
    is_default INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  );
  -- by: 'default' (the default pair at import), 'strava' (the activity's gear), 'user'.
  CREATE TABLE run_shoes (
    run_id TEXT PRIMARY KEY REFERENCES runs(id) ON UPDATE CASCADE ON DELETE CASCADE,
    shoe_id INTEGER NOT NULL REFERENCES shoes(id) ON DELETE CASCADE,
    by TEXT NOT NULL CHECK (by IN ('default', 'strava', 'user'))
  );
  CREATE INDEX run_shoes_shoe ON run_shoes(shoe_id);
  `,
  `
  -- Where each file was last read (issue 13): its path, size and mtime (ms) then, and its
  -- content's hash, so importing the same unchanged file again needs neither reading nor hashing.
  CREATE TABLE file_paths (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    sha256 TEXT NOT NULL,
    seen_at TEXT NOT NULL
  );
  `,
  `
  -- What kneecheck made of each intervals.icu activity (issue 22): a run (from its file or its
  -- summary), skipped (not a run), or a Strava stub; the summary's hash notices edits upstream.
  CREATE TABLE intervals_activities (
    activity_id TEXT PRIMARY KEY,
    start_local TEXT NOT NULL,
    type TEXT,
    status TEXT NOT NULL CHECK (status IN ('run', 'skipped', 'stub')),
    reason TEXT,
    summary_hash TEXT NOT NULL,
    via TEXT NOT NULL CHECK (via IN ('file', 'summary', 'none')),
    seen_at TEXT NOT NULL
  );
  CREATE INDEX intervals_activities_start ON intervals_activities(start_local);
  `,
  `
  -- Issue 23: a pain answer given as a range (the phone's "6 or more": from 6, to 10; pain holds
  -- the upper bound, NULLs: an exact answer), and the guide's return test after a stop (walking,
  -- squatting, stairs pain-free: 1/0, NULL: not asked).
  ALTER TABLE checks ADD COLUMN pain_from INTEGER CHECK (pain_from BETWEEN 0 AND 10);
  ALTER TABLE checks ADD COLUMN pain_to INTEGER CHECK (pain_to BETWEEN 0 AND 10);
  ALTER TABLE checks ADD COLUMN walk_ok INTEGER CHECK (walk_ok IN (0, 1));
  ALTER TABLE checks ADD COLUMN squat_ok INTEGER CHECK (squat_ok IN (0, 1));
  ALTER TABLE checks ADD COLUMN stairs_ok INTEGER CHECK (stairs_ok IN (0, 1));
  `,
];

/**
 * Opens (creating when missing) the database file, in WAL mode, and applies pending migrations.
 * A full disk, a read-only or damaged file throws a {@link KneecheckError} saying so, with the fix.
 */
export function openDb(file: string): Db {
  rememberDatabaseFile(file);
  try {
    return openWithRetry(file);
  } catch (e) {
    const problem = dbProblemOf(e);
    if (problem === null) throw e;
    throw new KneecheckError(dbProblemText(onDisk(problem, file), file), { cause: e });
  }
}

/** Attempts at opening a database another process is creating or switching to WAL (issue 27). */
const OPEN_ATTEMPTS = 40;

/**
 * {@link openDbOrThrow}, tried again while SQLite says the file is busy or locked: switching a new
 * database to WAL takes an exclusive lock that SQLite does not wait for through busy_timeout, so
 * two processes opening a new data folder at once saw "database is locked" about 1 time in 40.
 * Bounded: 40 attempts 10–100 ms apart (about 2 s), then the error as it is.
 */
function openWithRetry(file: string): Db {
  for (let attempt = 1; ; attempt++) {
    try {
      return openDbOrThrow(file);
    } catch (e) {
      if (dbProblemOf(e) !== 'busy' || attempt >= OPEN_ATTEMPTS) throw e;
      // A synchronous pause: opening is synchronous for every caller.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(100, 10 * attempt));
    }
  }
}

function openDbOrThrow(file: string): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new SqliteDatabase(file);
  try {
    // Another kneecheck process may hold the write lock for a batch: wait rather than fail.
    // One exec for the four (each db.pragma() prepares a statement of its own).
    db.exec(
      'PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; ' +
        'PRAGMA foreign_keys = ON;',
    );
    migrate(db, file);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

function migrate(db: Db, file: string): void {
  const found = db.pragma('user_version', { simple: true }) as number;
  if (found > MIGRATIONS.length) {
    throw new KneecheckError(
      `${file} was written by a newer kneecheck (schema ${found}, this one knows ${MIGRATIONS.length}); update kneecheck`,
    );
  }
  if (found === MIGRATIONS.length) return;
  db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v] ?? '');
      db.pragma(`user_version = ${v + 1}`);
    }
  }).immediate();
}

export const SCHEMA_VERSION = MIGRATIONS.length;

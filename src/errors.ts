/** Exit codes of the command line (DESIGN §4). */
export const EXIT = { ok: 0, someFailed: 1, usage: 2 } as const;

/**
 * An expected failure with a message for the user. The CLI's one top-level handler prints
 * `message` and exits with `exitCode`; `cause` keeps the underlying error for debugging.
 */
export class KneecheckError extends Error {
  readonly exitCode: number;
  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'KneecheckError';
    this.exitCode = options.exitCode ?? EXIT.usage;
  }
}

/** A configuration value that is missing or malformed; names the variable and the expected form. */
export class ConfigError extends KneecheckError {
  readonly variable: string;
  constructor(variable: string, expected: string, got?: string) {
    super(
      `${variable}: expected ${expected}${got === undefined ? '' : `, got ${JSON.stringify(got)}`}`,
      { exitCode: EXIT.usage },
    );
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/**
 * The exit code for an error that ended a command, after telling the user: a {@link
 * KneecheckError}'s message, a database or disk problem's ({@link dbProblemOf}: full, read-only,
 * damaged…) plain words naming the database file and the fix (exit 2), or an unexpected error
 * with its stack and a request to report it.
 */
export function failed(
  e: unknown,
  stderr: { write(text: string): unknown } = process.stderr,
): number {
  if (e instanceof KneecheckError) {
    stderr.write(`kneecheck: ${e.message}\n`);
    return e.exitCode;
  }
  // The database or its disk, not a bug: what is wrong and what to do, no stack trace.
  const problem = dbProblemOf(e);
  if (problem !== null) {
    stderr.write(`kneecheck: ${dbProblemText(onDisk(problem))}\n`);
    return EXIT.usage;
  }
  stderr.write(
    `kneecheck: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n` +
      'Please report it with the command you ran.\n',
  );
  return EXIT.someFailed;
}

/**
 * What is wrong with the database (or the disk under it), by an error's code (better-sqlite3's
 * `SQLITE_…`, or Node's errno): none of it is the fault of a file being imported or a form
 * being sent, and none of it is a bug to report.
 * - `full`: the disk is full (SQLITE_FULL, ENOSPC, EDQUOT): retry once there is room.
 * - `readonly`: the database or its folder cannot be written (SQLITE_READONLY…, EROFS).
 * - `corrupt`: the file is damaged or not a database (SQLITE_CORRUPT…, SQLITE_NOTADB).
 * - `io`: the disk failed a read or write (SQLITE_IOERR…, EIO): retry later.
 * - `busy`: another process held the database for longer than the busy timeout: retry later.
 */
export type DbProblem = 'full' | 'readonly' | 'corrupt' | 'io' | 'busy';

/** The {@link DbProblem} an error stands for, or null when it is none of them. */
export function dbProblemOf(e: unknown): DbProblem | null {
  for (let x = e, depth = 0; x instanceof Error && depth < 4; x = x.cause, depth++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'full';
    if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return 'readonly';
    if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM')) return 'readonly';
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'corrupt';
    if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'io';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  }
  return null;
}

/**
 * A {@link DbProblem} as it is on the disk holding `file`: SQLite reports some writes refused
 * for want of room (its shared-memory file, a journal) as an I/O error; with no free byte there,
 * it is a full disk. One statfs.
 */
export function onDisk(problem: DbProblem, file: string | null = databaseFile): DbProblem {
  if (problem !== 'io' || file === null) return problem;
  try {
    // Loaded here, not imported: every command loads this module first, and seldom needs fs.
    const fs = process.getBuiltinModule('node:fs');
    const path = process.getBuiltinModule('node:path');
    return fs.statfsSync(path.dirname(file)).bavail === 0 ? 'full' : problem;
  } catch {
    return problem;
  }
}

/** The database file the process opened last (named in {@link dbProblemText}). */
let databaseFile: string | null = null;

/** Notes the database file this process uses (store/db.ts, when it opens one). */
export function rememberDatabaseFile(file: string): void {
  databaseFile = file;
}

/**
 * What a {@link DbProblem} means for the user, plainly, with what to do: one or two sentences
 * naming the database file (`file`, default: the one this process opened).
 */
export function dbProblemText(problem: DbProblem, file: string | null = databaseFile): string {
  const db = file ?? 'the kneecheck database (kneecheck.sqlite in the data folder)';
  switch (problem) {
    case 'full':
      return `the disk holding ${db} is full: nothing was saved. Free some space on it and try again.`;
    case 'readonly':
      return `${db} cannot be written to (a read-only file, folder or disk): nothing was saved. Make the file and its folder writable for this user (e.g. chmod u+w), or set KNEECHECK_DATA_DIR to a writable folder.`;
    case 'corrupt':
      return `${db} is damaged (or is not a kneecheck database). Stop kneecheck and move the file aside (e.g. mv ${db} ${db}.damaged, with its -wal and -shm files); kneecheck then starts a new one: drop your FIT files (the inbox's processed/ folder keeps them) into the inbox again, and keep the damaged file and your last \`kneecheck export\` folder for what cannot be re-imported.`;
    case 'io':
      return `the disk failed while reading or writing ${db}: nothing was saved. Check the disk (is it still mounted?) and try again.`;
    case 'busy':
      return `${db} was kept busy by another kneecheck process for too long: nothing was saved. Try again in a moment.`;
  }
}

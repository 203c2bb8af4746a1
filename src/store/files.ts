import type { Statement } from 'better-sqlite3';
import type { RunId } from '../model.ts';
import type { Db } from './db.ts';
import { countOf, maybe, num, oneOf, rowsOf, runIdOrNull, str, strOrNull } from './rows.ts';

/** What became of a file. */
export const FILE_STATUSES = ['imported', 'duplicate', 'skipped', 'failed'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

export interface FileRecord {
  sha256: string;
  path: string;
  size: number;
  status: FileStatus;
  message: string | null;
}

const fileRow = rowsOf('files', (r): FileRecord => ({
  sha256: str(r.sha256, 'sha256'),
  path: str(r.path, 'path'),
  size: num(r.size, 'size'),
  status: oneOf(r.status, 'status', FILE_STATUSES),
  message: strOrNull(r.message, 'message'),
}));

/** A path as last read: its size and mtime then, its content's hash and the run it holds. */
export interface SeenPath {
  /** Bytes. */
  size: number;
  /** Modification time, ms since the epoch (fs.Stats.mtimeMs). */
  mtimeMs: number;
  sha256: string;
  /** A run stored from these bytes (the first by id), or null when none is stored now. */
  of: RunId | null;
}

const SEEN_COLUMNS = `p.size, p.mtime_ms, p.sha256,
  (SELECT run_id FROM run_sources s WHERE s.file_sha256 = p.sha256 ORDER BY run_id LIMIT 1) AS "of"`;

const seenPathRow = rowsOf('file_paths', (r): SeenPath => ({
  size: num(r.size, 'size'),
  mtimeMs: num(r.mtime_ms, 'mtime_ms'),
  sha256: str(r.sha256, 'sha256'),
  of: runIdOrNull(r.of, 'of'),
}));

/**
 * The files seen, by content hash: where, what became of them, and why; and each path as last
 * read (the import's memo: an unchanged path is known without reading it). Statements used per
 * file are prepared once.
 */
export class FileTable {
  readonly #db: Db;
  #seenStmt: Statement | null = null;
  #seenUnderStmt: Statement | null = null;
  #rememberStmt: Statement | null = null;
  #putStmt: Statement | null = null;
  #getStmt: Statement | null = null;
  constructor(db: Db) {
    this.#db = db;
  }

  /** What `path` (absolute) was when last read, with the run now stored from it; null: never read. */
  seenPath(path: string): SeenPath | null {
    this.#seenStmt ??= this.#db.prepare(
      `SELECT ${SEEN_COLUMNS} FROM file_paths p WHERE p.path = ?`,
    );
    return maybe(seenPathRow, this.#seenStmt.get(path));
  }

  /**
   * Every path under the folder `dir` (absolute, without a trailing separator) as last read, in
   * one query: what a folder's import looks up instead of asking path by path.
   */
  seenUnder(dir: string, sep = '/'): Map<string, SeenPath> {
    this.#seenUnderStmt ??= this.#db.prepare(
      `SELECT p.path, ${SEEN_COLUMNS} FROM file_paths p WHERE p.path > ? AND p.path < ?`,
    );
    // Paths that start with dir + sep: after it, and before dir + the next character.
    const next = String.fromCharCode(sep.charCodeAt(0) + 1);
    const out = new Map<string, SeenPath>();
    for (const r of this.#seenUnderStmt.iterate(dir + sep, dir + next)) {
      out.set(str((r as { path: unknown }).path, 'path'), seenPathRow(r));
    }
    return out;
  }

  /** Notes that `path` (absolute) held these bytes when it had this size and mtime (ms). */
  rememberPath(
    path: string,
    seen: { size: number; mtimeMs: number; sha256: string },
    now: string,
  ): void {
    this.#rememberStmt ??= this.#db.prepare(
      `INSERT INTO file_paths (path, size, mtime_ms, sha256, seen_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
         sha256 = excluded.sha256, seen_at = excluded.seen_at`,
    );
    this.#rememberStmt.run(path, seen.size, seen.mtimeMs, seen.sha256, now);
  }

  get(sha256: string): FileRecord | null {
    return maybe(
      fileRow,
      (this.#getStmt ??= this.#db.prepare(
        'SELECT sha256, path, size, status, message FROM files WHERE sha256 = ?',
      )).get(sha256),
    );
  }

  /** Records what became of a file; a file seen again keeps its first status unless it failed. */
  put(f: FileRecord, now: string): void {
    this.#putStmt ??= this.#db.prepare(
      `INSERT INTO files (sha256, path, size, status, message, first_seen, last_seen)
         VALUES (@sha256, @path, @size, @status, @message, @now, @now)
         ON CONFLICT (sha256) DO UPDATE SET path = excluded.path, last_seen = excluded.last_seen,
           status = CASE WHEN files.status IN ('imported', 'duplicate') THEN files.status
                         ELSE excluded.status END,
           message = CASE WHEN files.status IN ('imported', 'duplicate') THEN files.message
                          ELSE excluded.message END`,
    );
    this.#putStmt.run({ ...f, now });
  }

  count(): number {
    return countOf(this.#db.prepare('SELECT COUNT(*) AS n FROM files').get());
  }
}

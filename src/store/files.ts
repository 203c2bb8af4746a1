import type { Db } from './db.ts';
import { countOf, maybe, num, oneOf, rowsOf, str, strOrNull } from './rows.ts';

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

/** The files seen, by content hash: where, what became of them, and why. */
export class FileTable {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  get(sha256: string): FileRecord | null {
    return maybe(
      fileRow,
      this.#db
        .prepare('SELECT sha256, path, size, status, message FROM files WHERE sha256 = ?')
        .get(sha256),
    );
  }

  /** Records what became of a file; a file seen again keeps its first status unless it failed. */
  put(f: FileRecord, now: string): void {
    this.#db
      .prepare(
        `INSERT INTO files (sha256, path, size, status, message, first_seen, last_seen)
         VALUES (@sha256, @path, @size, @status, @message, @now, @now)
         ON CONFLICT (sha256) DO UPDATE SET path = excluded.path, last_seen = excluded.last_seen,
           status = CASE WHEN files.status IN ('imported', 'duplicate') THEN files.status
                         ELSE excluded.status END,
           message = CASE WHEN files.status IN ('imported', 'duplicate') THEN files.message
                          ELSE excluded.message END`,
      )
      .run({ ...f, now });
  }

  count(): number {
    return countOf(this.#db.prepare('SELECT COUNT(*) AS n FROM files').get());
  }
}

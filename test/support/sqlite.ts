import path from 'node:path';
import Database from 'better-sqlite3';
import { DB_FILE_NAME } from '../../src/store/index.ts';

/**
 * A second connection to a data folder's SQLite file, as another process (or a person with the
 * `sqlite3` shell) would open it. The Store keeps its own connection private (no SQL outside
 * `src/store/`); tests use this only to read the file's own settings or to set up a state no
 * command makes (a crash between a send and its outbox update). Closed after `fn`.
 */
export function withDbFile<T>(dataDir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path.join(dataDir, DB_FILE_NAME));
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

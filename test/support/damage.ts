import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DB_FILE_NAME } from '../../src/store/index.ts';
import { tempDir } from './paths.ts';

/** statfs's f_type of a tmpfs. */
const TMPFS_MAGIC = 0x01021994;

/**
 * A real small disk: a tmpfs of `sizeKb` mounted on a new folder (needs root), or null with the
 * reason when it cannot be mounted (the caller skips its case, saying why). `fill()` takes every
 * free byte with a filler file, `free()` removes it; `unmount()` (lazily: an open database file
 * may still be on it) at the end.
 */
export function smallDisk(sizeKb = 2048): SmallDisk | string {
  const dir = tempDir('kneecheck-disk-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir], {
      stdio: 'pipe',
    });
  } catch (e) {
    return `cannot mount a tmpfs here (${(e as Error).message.split('\n')[0]}): needs root`;
  }
  const filler = path.join(dir, 'filler');
  return {
    dir,
    fill() {
      // Never on the machine's own disk: only while the small tmpfs is mounted there.
      const fsStat = fs.statfsSync(dir);
      if (fsStat.type !== TMPFS_MAGIC || fsStat.blocks * fsStat.bsize > sizeKb * 1024 * 2) {
        throw new Error(`${dir} is no longer the small tmpfs: not filling it`);
      }
      const fd = fs.openSync(filler, 'a');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (let i = 0; i < sizeKb; i++) fs.writeSync(fd, chunk);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      } finally {
        fs.closeSync(fd);
      }
      // The last few bytes too: a page of SQLite's must find no room.
      try {
        for (let i = 0; i < 1024; i++) fs.appendFileSync(filler, Buffer.alloc(512, 1));
      } catch {
        // full
      }
    },
    free() {
      fs.rmSync(filler, { force: true });
    },
    readOnly() {
      execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'pipe' });
    },
    unmount() {
      try {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      } catch {
        // already gone
      }
    },
  };
}

export interface SmallDisk {
  dir: string;
  fill(): void;
  free(): void;
  readOnly(): void;
  unmount(): void;
}

/**
 * Damages the database of a (closed) data folder as a failing disk would: the pages of the given
 * tables (their b-tree roots) are overwritten with noise; the file's header and schema page stay
 * whole, so it opens and its first reads of the schema work. Checkpoints the WAL first.
 */
export function corruptTables(dataDir: string, tables: readonly string[]): void {
  const file = path.join(dataDir, DB_FILE_NAME);
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const roots = tables.map(
    (t) =>
      (
        db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').get(t) as {
          rootpage: number;
        }
      ).rootpage,
  );
  db.close();
  const fd = fs.openSync(file, 'r+');
  const noise = Buffer.alloc(pageSize, 0x5a);
  for (const root of roots) fs.writeSync(fd, noise, 0, pageSize, (root - 1) * pageSize);
  fs.closeSync(fd);
}

/**
 * Makes one file read-only while its folder stays writable (as root, permissions do not stop a
 * write): a read-only bind mount of the file on itself. Returns the undoing, or the reason it
 * cannot be done here.
 */
export function readOnlyFile(file: string): (() => void) | string {
  try {
    execFileSync('mount', ['--bind', file, file], { stdio: 'pipe' });
    execFileSync('mount', ['-o', 'remount,ro,bind', file], { stdio: 'pipe' });
  } catch (e) {
    return `cannot bind-mount a file read-only here (${(e as Error).message.split('\n')[0]}): needs root`;
  }
  return () => {
    try {
      execFileSync('umount', ['-l', file], { stdio: 'pipe' });
    } catch {
      // already gone
    }
  };
}

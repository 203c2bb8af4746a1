import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KneecheckError } from '../errors.ts';

export const LOCK_FILE_NAME = 'kneecheck.lock';

/** What the lock file holds (JSON). */
export interface LockInfo {
  pid: number;
  /** ISO time the daemon started. */
  startedAt: string;
  hostname: string;
}

/** A held lock. `release()` removes the lock file if it is still ours; calling it twice is fine. */
export interface Lock {
  readonly file: string;
  readonly info: LockInfo;
  release(): void;
}

export interface AcquireLockOptions {
  /** The clock for `startedAt` (default: the real time). */
  now?: () => Date;
  /** The pid written into the lock (default: this process's). */
  pid?: number;
  /** Is a process with this pid running? (default: `process.kill(pid, 0)`). */
  isAlive?: (pid: number) => boolean;
  /** When this machine booted, ms since the epoch (default: from `os.uptime()`). */
  bootTime?: () => number;
}

/** `kill -0`: a process that exists but belongs to someone else (EPERM) is alive too. */
export function pidIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readInfo(file: string): LockInfo | null {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockInfo>;
    if (typeof v.pid !== 'number' || typeof v.startedAt !== 'string') return null;
    return { pid: v.pid, startedAt: v.startedAt, hostname: String(v.hostname ?? '') };
  } catch {
    return null;
  }
}

/** Tolerated clock difference when comparing a lock's start with the boot time. */
const BOOT_SLACK_MS = 60_000;
/** A lock file this young but unreadable is probably being written by a starting daemon. */
const FRESH_MS = 2_000;

/**
 * Takes the one-daemon-per-data-dir lock: creates `<dataDir>/kneecheck.lock` exclusively (O_EXCL)
 * with the pid, the start time and the host name. When the file exists and its process is alive,
 * throws a {@link KneecheckError} naming the pid and its start; when that process is gone (or the
 * lock was written before this machine last booted, so its pid may since belong to another
 * program), the stale lock is taken over. Creates `dataDir` when missing.
 */
export function acquireLock(dataDir: string, opts: AcquireLockOptions = {}): Lock {
  const now = opts.now ?? (() => new Date());
  const isAlive = opts.isAlive ?? pidIsAlive;
  const bootTime = opts.bootTime ?? (() => Date.now() - os.uptime() * 1000);
  const info: LockInfo = {
    pid: opts.pid ?? process.pid,
    startedAt: now().toISOString(),
    hostname: os.hostname(),
  };
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE_NAME);
  const text = `${JSON.stringify(info)}\n`;

  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o644);
      try {
        fs.writeSync(fd, text);
      } finally {
        fs.closeSync(fd);
      }
      let released = false;
      return {
        file,
        info,
        release: () => {
          if (released) return;
          released = true;
          // Remove only our own lock: never one another daemon took over meanwhile.
          const held = readInfo(file);
          if (held && held.pid === info.pid && held.startedAt === info.startedAt) {
            fs.rmSync(file, { force: true });
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new KneecheckError(`cannot create the lock file ${file}: ${(e as Error).message}`, {
          cause: e,
        });
      }
    }
    const heldText = readText(file);
    if (heldText === null) continue; // removed meanwhile: try again
    const held = readInfo(file);
    if (held === null) {
      // Empty or garbled: a daemon that is just writing it, or one that crashed mid-write.
      const age = Date.now() - (mtimeMs(file) ?? 0);
      if (age < FRESH_MS) {
        sleepSync(Math.min(FRESH_MS - age, FRESH_MS) + 50);
        continue;
      }
    } else {
      const fromEarlierBoot =
        held.hostname === info.hostname && Date.parse(held.startedAt) < bootTime() - BOOT_SLACK_MS;
      if (held.pid !== info.pid && isAlive(held.pid) && !fromEarlierBoot) {
        throw new KneecheckError(
          `another kneecheck daemon (pid ${held.pid}, started ${held.startedAt}) is already ` +
            `running for ${dataDir}; stop it first, or use another KNEECHECK_DATA_DIR`,
        );
      }
      if (held.pid === info.pid && isAlive(held.pid) && !fromEarlierBoot) {
        throw new KneecheckError(
          `this process (pid ${held.pid}) already holds the kneecheck lock for ${dataDir}`,
        );
      }
    }
    takeOverStale(file, heldText);
  }
  throw new KneecheckError(
    `could not take the lock ${file}: it keeps changing (another kneecheck daemon starting?); try again`,
  );
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function mtimeMs(file: string): number | null {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Moves the stale lock aside (atomically, so only one of two starting daemons gets it), checks it
 * is the stale one that was read, and removes it. Had another daemon replaced it meanwhile, its
 * fresh lock is put back.
 */
function takeOverStale(file: string, staleText: string): void {
  const aside = `${file}.stale-${process.pid}-${Date.now()}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return; // gone already; the caller retries O_EXCL
  }
  if (readText(aside) === staleText) {
    fs.rmSync(aside, { force: true });
    return;
  }
  try {
    fs.linkSync(aside, file);
  } catch {
    // Someone created a lock meanwhile; the caller's next attempt reads it.
  }
  fs.rmSync(aside, { force: true });
}

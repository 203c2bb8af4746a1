import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.ts';

/** What a path is when it is not a folder, in words. */
function kindOf(stat: fs.Stats): string {
  if (stat.isFile()) return 'a file';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  return 'not a folder';
}

const statOf = (p: string): fs.Stats | NodeJS.ErrnoException => {
  try {
    return fs.statSync(p);
  } catch (e) {
    return e as NodeJS.ErrnoException;
  }
};

const allows = (p: string, mode: number): boolean => {
  try {
    fs.accessSync(p, mode);
    return true;
  } catch {
    return false;
  }
};

/** A file system without storage of its own (procfs, sysfs, cgroup…: 0 blocks), or unknown. */
function storesNothing(dir: string): boolean {
  try {
    return fs.statfsSync(dir).blocks === 0;
  } catch {
    return true;
  }
}

/**
 * Why `dir` cannot serve as a folder kneecheck writes to (`write`: made when absent) or reads
 * (`read`: may be absent, e.g. an unplugged watch), or null when it can. A few stat calls.
 */
export function folderProblem(dir: string, mode: 'write' | 'read'): string | null {
  const st = statOf(dir);
  if (st instanceof fs.Stats) {
    if (!st.isDirectory()) return `it is ${kindOf(st)}, not a folder`;
    if (mode === 'write' && !allows(dir, fs.constants.W_OK | fs.constants.X_OK)) {
      return 'kneecheck may not write to it (permissions)';
    }
    if (mode === 'read' && !allows(dir, fs.constants.R_OK | fs.constants.X_OK)) {
      return 'kneecheck may not read it (permissions)';
    }
    return null;
  }
  if (st.code !== 'ENOENT' && st.code !== 'ENOTDIR')
    return `it cannot be used (${st.code ?? 'error'})`;
  if (mode === 'read' && st.code === 'ENOENT') return null;
  // Absent: it will be made, so the nearest existing folder above it must take a new folder.
  for (let up = path.dirname(dir), below = dir; up !== below; below = up, up = path.dirname(up)) {
    const a = statOf(up);
    if (!(a instanceof fs.Stats)) continue;
    if (!a.isDirectory()) return `it cannot be made: ${up} is ${kindOf(a)}, not a folder`;
    if (mode === 'read')
      return `it cannot exist: ${path.relative(up, dir)} is not a folder in ${up}`;
    if (!allows(up, fs.constants.W_OK | fs.constants.X_OK)) {
      return `it cannot be made: kneecheck may not write to ${up} (permissions)`;
    }
    // Permissions say yes for root even where nothing can be made (/proc, /sys), and Node's
    // recursive mkdir then retries for ever. Those are file systems without storage (0 blocks):
    // there, make and remove one empty folder to be sure (elsewhere that would cost every
    // command a few ms of disk work for nothing).
    if (!storesNothing(up)) return null;
    const probe = path.join(up, `.kneecheck-probe-${process.pid}`);
    try {
      fs.mkdirSync(probe);
      fs.rmdirSync(probe);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      return `it cannot be made: ${up} takes no new folder (${code})`;
    }
    return null;
  }
  return null;
}

/** The error for a folder setting that cannot be used: names the variable, the path and why. */
export function folderError(
  name: string,
  dir: string,
  mode: 'write' | 'read',
  problem: string,
): ConfigError {
  const e = new ConfigError(
    name,
    `a folder kneecheck can ${mode === 'write' ? 'write to' : 'read'}`,
    dir,
  );
  e.message = `${e.message}: ${problem}`;
  return e;
}

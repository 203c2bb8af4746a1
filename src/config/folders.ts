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

/** Entries looked at, at most, when a folder is checked for files that are not kneecheck's. */
const OWN_SCAN_LIMIT = 2000;

/**
 * Why `inbox` cannot be kneecheck's inbox, or null when it can (DESIGN §5: every activity file
 * in the inbox is moved to `processed/` or `failed/`, so the inbox must hold nothing else of the
 * user's). Refused: the root folder, the home folder, a folder holding the data folder, and a
 * folder not yet an inbox (no `processed/` and `failed/` in it) that already holds files that are
 * not activity files (`isActivity`, by name; dotfiles and copy-tool temp files aside), looked for
 * down to 3 levels and {@link OWN_SCAN_LIMIT} entries. A few stat and readdir calls; at start.
 */
export function inboxProblem(
  inbox: string,
  opts: { home: string | null; dataDir: string; isActivity: (name: string) => boolean },
): string | null {
  const dir = path.resolve(inbox);
  // Through links too: an inbox that is a link to the home folder is the home folder.
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  const realDir = real(dir);
  if (path.parse(dir).root === dir || path.parse(realDir).root === realDir) {
    return 'it is the root folder of the disk';
  }
  if (opts.home !== null && real(opts.home) === realDir) return 'it is your home folder';
  const data = path.resolve(opts.dataDir);
  if (data === dir || data.startsWith(dir + path.sep)) {
    return `kneecheck's data folder ${data} is inside it`;
  }
  const st = statOf(dir);
  if (!(st instanceof fs.Stats) || !st.isDirectory()) return null; // made empty at start
  const isDir = (p: string) => {
    const s = statOf(p);
    return s instanceof fs.Stats && s.isDirectory();
  };
  if (isDir(path.join(dir, 'processed')) && isDir(path.join(dir, 'failed'))) return null;
  const foreign: string[] = [];
  let seen = 0;
  const look = (d: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (foreign.length >= 3 || ++seen > OWN_SCAN_LIMIT) return;
      if (e.name.startsWith('.')) continue;
      const full = path.join(d, e.name);
      if (e.isDirectory()) {
        if (depth < 3) look(full, depth + 1);
      } else if (!opts.isActivity(e.name) && !TEMP_FILE.test(e.name)) {
        foreign.push(path.relative(dir, full));
      }
    }
  };
  look(dir, 1);
  if (foreign.length === 0) return null;
  return `it already holds files that are not activity files (${foreign.join(', ')}${foreign.length >= 3 ? ', …' : ''})`;
}

/** Copy-tool leftovers (`.part`, `.crdownload`, `~`…): not counted as the user's files. */
const TEMP_FILE = /(\.(part|partial|crdownload|download|tmp|temp|filepart)|~)$/i;

/** The error for an inbox that is not kneecheck's own ({@link inboxProblem}), with the fix. */
export function inboxError(inbox: string, problem: string, dataDir: string): ConfigError {
  const e = new ConfigError('KNEECHECK_INBOX', 'a folder only for activity files to import', inbox);
  e.message =
    `${e.message}: ${problem}. kneecheck moves every activity file (.fit, .zip, .gpx…) it finds ` +
    'in its inbox into processed/ or failed/, so the inbox must be a folder of its own: set ' +
    `KNEECHECK_INBOX to a new, empty folder, or leave it unset for ${path.join(dataDir, 'inbox')}. ` +
    'To import from a folder that is not only for kneecheck (a mounted watch, a synced folder), ' +
    'name it in KNEECHECK_WATCH: it is read there, and nothing in it is moved';
  return e;
}

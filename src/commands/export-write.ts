import fs from 'node:fs';
import path from 'node:path';
import { KneecheckError } from '../errors.ts';

/** What `--force` may replace: a folder holding only what an export writes (issue 21 item 10). */
export interface ExportFolderOptions {
  /** Replace an existing, non-empty export folder. */
  force: boolean;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Writes `files` (name → contents) as the folder `out`, all or nothing: into a temporary sibling
 * folder first (`.<name>.tmp-<pid>`), renamed into place once every file is written, so a kill
 * between files never leaves a mix of new and old files. An existing non-empty `out` is refused
 * unless `force`, and even then only when it holds nothing but the export's own files (a folder
 * of other files is never emptied). Missing parent folders are made one level at a time (Node's
 * recursive mkdir spins for ever under /proc). Every error names the folder. Returns the paths.
 */
export function writeExportFolder(
  out: string,
  files: Readonly<Record<string, string>>,
  opts: ExportFolderOptions,
): string[] {
  const names = Object.keys(files);
  const existing = entriesOf(out);
  if (existing !== null && existing.length > 0) {
    if (!opts.force) {
      throw new KneecheckError(
        `--out: the folder ${out} already exists and is not empty; pass --force to replace the export in it, or name another folder`,
      );
    }
    const foreign = existing.filter((e) => !names.includes(e));
    if (foreign.length > 0) {
      throw new KneecheckError(
        `--out: the folder ${out} holds files that are not an export's (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}); it is not replaced, even with --force: name another folder`,
      );
    }
  }
  const parent = path.dirname(out);
  const tmp = path.join(parent, `.${path.basename(out)}.tmp-${process.pid}`);
  try {
    makeParents(parent);
    removeStaleTemps(parent, path.basename(out));
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp);
    for (const name of names) fs.writeFileSync(path.join(tmp, name), files[name] ?? '');
    if (existing === null || existing.length === 0) {
      // rename(2) replaces an empty folder; where it does not, the empty folder goes first.
      try {
        fs.renameSync(tmp, out);
      } catch {
        if (existing !== null) fs.rmdirSync(out);
        fs.renameSync(tmp, out);
      }
    } else {
      const old = path.join(parent, `.${path.basename(out)}.old-${process.pid}`);
      fs.rmSync(old, { recursive: true, force: true });
      fs.renameSync(out, old);
      fs.renameSync(tmp, out);
      fs.rmSync(old, { recursive: true, force: true });
    }
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (e instanceof KneecheckError) throw e;
    throw new KneecheckError(`cannot write the export into the folder ${out}: ${message(e)}`, {
      cause: e,
    });
  }
  return names.map((n) => path.join(out, n));
}

/** The names in the folder `dir`, null when there is none; a file there is refused. */
function entriesOf(dir: string): string[] | null {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new KneecheckError(`--out: cannot read the folder ${dir}: ${message(e)}`, { cause: e });
  }
  if (!st.isDirectory()) {
    throw new KneecheckError(`--out: ${dir} is a file, not a folder; name a folder to write into`);
  }
  try {
    return fs.readdirSync(dir);
  } catch (e) {
    throw new KneecheckError(`--out: cannot read the folder ${dir}: ${message(e)}`, { cause: e });
  }
}

/** Makes `dir` and its missing parents, one level at a time (a bounded loop). */
function makeParents(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(d)) break;
    missing.push(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing.reverse()) fs.mkdirSync(d);
}

/** Removes temporary folders an export killed earlier (its pid gone) left beside `base`. */
function removeStaleTemps(parent: string, base: string): void {
  const prefix = new RegExp(
    `^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(?:tmp|old)-(\\d+)$`,
  );
  for (const name of fs.readdirSync(parent)) {
    const pid = Number(prefix.exec(name)?.[1] ?? NaN);
    if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue;
    fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

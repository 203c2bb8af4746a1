import { createHash } from 'node:crypto';
import fsSync, { constants as fsc } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { FORMATS_TEXT } from '../../../importers/names.ts';

/** Helpers for the inbox's folders: moving files without overwriting, and `.error.txt` notes. */

export const PROCESSED_DIR = 'processed';
export const FAILED_DIR = 'failed';
export const ERROR_SUFFIX = '.error.txt';

/*
 * Which names the inbox imports is the importers' own claim (importers/names.ts: FIT, GPX, TCX,
 * gzipped or not) plus zip exports of them: `isActivityName`.
 */

/**
 * Files copy tools, browsers and editors write while a copy is in progress, or leave behind: never
 * imported (the finished file appears under its real name).
 */
export const TEMP_NAME =
  /(\.(part|partial|crdownload|download|opdownload|tmp|temp|filepart|swp|swx|!ut|!qb|!sync)|~)$|^~\$|^\.~lock|^\.goutputstream-/i;

/** `run.fit` → `run-2.fit`, `run.gpx.gz` → `run-2.gpx.gz`, `notes` → `notes-2`; n = 0 keeps the name. */
export function withSuffix(name: string, n: number): string {
  if (n === 0) return name;
  const ext = /(\.[^.]+\.gz|\.[^.]+)$/i.exec(name)?.[0] ?? '';
  const stem = ext && ext.length < name.length ? name.slice(0, name.length - ext.length) : name;
  return `${stem}-${n}${stem === name ? '' : ext}`;
}

/** Longest file name (bytes) the usual file systems take (ext4, xfs, btrfs, tmpfs, APFS, NTFS). */
const NAME_MAX = 255;

/** The first `max` bytes of `name` in UTF-8, cut before a character, never inside one. */
function bytePrefix(name: string, max: number): string {
  let out = '';
  let bytes = 0;
  for (const ch of name) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > max) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/**
 * The name of the note beside a filed file: `<name>.error.txt`, or, when that is longer than a
 * file name may be (a data file of 246+ bytes), the name cut short with 8 hex digits of its hash
 * (`<start of name>~1a2b3c4d.error.txt`): the data file keeps its own name, always.
 */
export function noteName(name: string): string {
  const full = name + ERROR_SUFFIX;
  if (Buffer.byteLength(full) <= NAME_MAX) return full;
  const tag = `~${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
  return bytePrefix(name, NAME_MAX - ERROR_SUFFIX.length - tag.length) + tag + ERROR_SUFFIX;
}

/** The note's path beside the filed file at `file` (see {@link noteName}). */
export const notePath = (file: string): string =>
  path.join(path.dirname(file), noteName(path.basename(file)));

const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS', 'EMLINK']);

const exists = (p: string): boolean => fsSync.lstatSync(p, { throwIfNoEntry: false }) !== undefined;

/**
 * Writes a new file that appears whole or not at all (a reader never sees it half written):
 * the text goes to a hidden temporary file beside it, which is then hard-linked to the name
 * (failing, like an exclusive create, if the name is taken). Where links are not supported, an
 * exclusive create.
 */
export async function writeWhole(target: string, text: string): Promise<void> {
  // Short, whatever the target's name (a name near NAME_MAX leaves no room for more).
  const hash = createHash('sha256').update(path.basename(target)).digest('hex').slice(0, 16);
  const tmp = path.join(path.dirname(target), `.kneecheck-${hash}.${process.pid}.tmp`);
  try {
    // Inside the try: a write that fails half way (ENOSPC) leaves no empty temporary file.
    await fs.writeFile(tmp, text);
    await fs.link(tmp, target);
  } catch (e) {
    if (!LINK_UNSUPPORTED.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
    await fs.writeFile(target, text, { flag: 'wx' });
  } finally {
    await fs.unlink(tmp).catch(() => undefined);
  }
}

/**
 * Moves `src` into `destDir` under its own name, or with a numeric suffix (`-1`, `-2`, …) when
 * that name (or its `.error.txt`) is taken (a name with no room for a suffix goes into a
 * numbered folder, `<destDir>/1/<name>`, keeping its name): never overwrites. Hard link + unlink, so taking a name
 * is atomic; where links are not supported, an exclusive copy + unlink. Returns the new path.
 * `made`: folders already made (e.g. by this batch): `destDir` is made only when it is not among
 * them, or when it has gone missing since. Synchronous, like the watcher's stats (files.ts): a
 * few calls on local folders, cheaper than their thread-pool round trips.
 */
export function moveNoClobber(
  src: string,
  destDir: string,
  name: string,
  made?: Set<string>,
): string {
  if (!made?.has(destDir)) {
    fsSync.mkdirSync(destDir, { recursive: true });
    made?.add(destDir);
  }
  for (let n = 0; n < 100_000; n++) {
    const suffixed = withSuffix(name, n);
    // A taken name too long for a suffix keeps its name, in a numbered folder of its own.
    const candidate =
      Buffer.byteLength(suffixed) <= NAME_MAX
        ? path.join(destDir, suffixed)
        : path.join(destDir, String(n), name);
    if (exists(notePath(candidate))) continue;
    if (path.dirname(candidate) !== destDir) {
      fsSync.mkdirSync(path.dirname(candidate), { recursive: true });
    }
    try {
      fsSync.linkSync(src, candidate);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') continue;
      if (code === 'ENOENT' && made) {
        // The folder was removed after it was made: make it again and try this name again.
        made = undefined;
        fsSync.mkdirSync(destDir, { recursive: true });
        n--;
        continue;
      }
      if (!LINK_UNSUPPORTED.has(code)) throw e;
      try {
        fsSync.copyFileSync(src, candidate, fsc.COPYFILE_EXCL);
      } catch (e2) {
        if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw e2;
      }
    }
    fsSync.unlinkSync(src);
    return candidate;
  }
  throw new Error(`no free name for ${name} in ${destDir}`);
}

/** What the user can do about a file that could not be imported, by the problem's wording. */
export function adviceFor(problem: string): string {
  if (/empty file/i.test(problem)) {
    return 'The file is empty: the copy probably did not finish. Copy it again from the watch and drop the new copy into the inbox.';
  }
  const not = /not a (FIT|GPX|TCX) file/i.exec(problem);
  if (not) {
    return `This is not a ${not[1]} file. kneecheck reads ${FORMATS_TEXT} files (on a Garmin: the GARMIN/Activity folder, or "Export Original" in Garmin Connect; GPX or TCX exports of Strava, Polar and phone apps). Drop such a file into the inbox.`;
  }
  if (/^refused:|nested deeper|unsafe name|not a regular file/im.test(problem)) {
    return 'kneecheck does not read this: it is far larger than any activity file once decompressed, nested too deep, holds too many points, or is not a regular file (DESIGN §8 bounds). If it really holds runs, export them one activity per file and drop those into the inbox.';
  }
  if (/zip|archive|gzip/i.test(problem)) {
    return 'The archive could not be read completely. Download or copy it again and drop the new copy into the inbox.';
  }
  if (/permission denied/i.test(problem)) {
    return 'kneecheck was not allowed to read the file. Check its permissions and drop it into the inbox again.';
  }
  if (/damaged|truncat|crc|corrupt|decode|end of stream|session|well-formed/i.test(problem)) {
    return 'The file is damaged or was not copied completely. Copy it again from the watch (or export the original again) and drop the new copy into the inbox.';
  }
  return 'If this is a run recorded by a watch, copy the original file (.fit, .gpx or .tcx) again and drop it into the inbox. If it keeps failing, keep this file: it helps when reporting the problem.';
}

/** The text of a `<name>.error.txt`: which file, when, what is wrong, and what to do. */
export function errorNote(opts: {
  file: string;
  time: Date;
  problems: string[];
  inbox: string;
  movedTo: string;
}): string {
  const { problems } = opts;
  const lines = [
    `File: ${opts.file}`,
    `Time: ${opts.time.toISOString()}`,
    problems.length === 1 ? `Problem: ${problems[0]}` : 'Problems:',
    ...(problems.length === 1 ? [] : problems.map((p) => `  - ${p}`)),
    '',
    `What you can do: ${adviceFor(problems.join('\n'))}`,
    '',
    `The file was kept, unchanged, at ${opts.movedTo}; nothing was deleted.`,
    `kneecheck does not retry it by itself: drop a good copy into ${opts.inbox} to import it.`,
    '',
  ];
  return lines.join('\n');
}

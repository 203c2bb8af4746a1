import fsSync, { type Stats } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { appleFileItem, appleInFolder, isAppleCandidate } from './apple.ts';
import { notRegularText } from './bounded.ts';
import { ZIP_NAME, isActivityName } from '../../importers/names.ts';
import { errorText, listArchive, type ArchiveContext } from './zip.ts';
import type { Inputs } from './types.ts';

export { errorText } from './zip.ts';

/** A folder's identity, whatever path (or link) leads to it. */
const folderKey = (st: Stats): string => `${st.dev}:${st.ino}`;

interface Walk extends ArchiveContext {
  /** Folders already read (by identity): a link back to one is a loop, read once. */
  seen: Map<string, string>;
}

/**
 * What `path.join(dir, name)` puts before a name read from `dir` (a name from readdir holds no
 * separator and is never `.` or `..`), worked out once per folder: a folder of thousands of
 * files is listed without normalising each path again.
 */
function prefixOf(dir: string): string {
  const d = path.normalize(dir);
  return d === '.' ? '' : d.endsWith(path.sep) ? d : d + path.sep;
}

async function walk(dir: string, label: string, w: Walk): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    w.items.push({ file: label, kind: 'failed', error: `cannot read folder: ${errorText(e)}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // An Apple Health export folder: its export.xml is one item, its routes are read by it.
  entries = appleInFolder(dir, label, entries, w.items);
  const inDir = prefixOf(dir);
  const inLabel = prefixOf(label);
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = inDir + e.name;
    const shown = inLabel + e.name;
    const named = isActivityName(e.name) || isAppleCandidate(e.name);
    const link = e.isSymbolicLink();
    // Anything else in a folder (notes, JSON, .DS_Store) is not an activity and is left alone.
    if (!named && !e.isDirectory() && !link) continue;
    // readdir's types suffice for plain files and folders; links and the rest are looked up with
    // stat (which never opens them: opening a FIFO or a device would block).
    let st: Stats | null = null;
    if (link || (!e.isFile() && !e.isDirectory())) {
      try {
        st = await fs.stat(full);
      } catch (err) {
        if (named) {
          const what = link ? 'a broken link' : 'unreadable';
          w.items.push({ file: shown, kind: 'skipped', reason: `${what}: ${errorText(err)}` });
        }
        continue;
      }
    }
    if (st ? st.isDirectory() : e.isDirectory()) await folder(full, shown, w);
    else if (!named) continue;
    else if (st && !st.isFile()) {
      w.items.push({ file: shown, kind: 'skipped', reason: notRegularText(st, link) });
    } else await file(full, shown, w);
  }
}

/** Reads a folder once, however many links lead to it; a link back into itself is reported. */
async function folder(full: string, shown: string, w: Walk): Promise<void> {
  let st: Stats;
  try {
    st = await fs.stat(full);
  } catch (e) {
    w.items.push({ file: shown, kind: 'failed', error: `cannot read folder: ${errorText(e)}` });
    return;
  }
  const key = folderKey(st);
  const first = w.seen.get(key);
  if (first !== undefined) {
    w.items.push({
      file: shown,
      kind: 'skipped',
      reason: `a link to a folder already read (${first}): read once`,
    });
    return;
  }
  w.seen.set(key, shown);
  await walk(full, shown, w);
}

async function file(full: string, shown: string, w: Walk): Promise<void> {
  if (ZIP_NAME.test(full)) await listArchive(full, shown, w);
  else if (isAppleCandidate(full)) w.items.push(appleFileItem(full, shown));
  // A file an importer claims goes to it; one named explicitly that none claims is tried as FIT
  // (decode.ts), whose content check decides.
  else w.items.push({ file: shown, kind: 'path', path: full });
}

/**
 * Expands what the user named into importable items, in a stable order: files as given, folders
 * recursively (sorted by name; a linked folder followed once, loops reported), `.zip` exports
 * member by member (nested zips included, bounded: DESIGN §8). FIFOs, devices and links to them
 * are skipped with a reason and never opened. Members are read only when their turn comes.
 * `regular`: paths the caller has just found to be regular files, taken as such without another
 * stat (reading them checks again).
 */
export async function collectInputs(
  paths: readonly string[],
  regular?: ReadonlySet<string>,
): Promise<Inputs> {
  let temp: string | null = null;
  const w: Walk = {
    items: [],
    opened: [],
    seen: new Map(),
    tempDir: async () => (temp ??= await fs.mkdtemp(path.join(os.tmpdir(), 'kneecheck-zip-'))),
  };
  for (const given of paths) {
    if (regular?.has(given)) {
      await file(given, given, w);
      continue;
    }
    let st: Stats;
    try {
      st = await fs.stat(given);
    } catch (e) {
      w.items.push({ file: given, kind: 'failed', error: errorText(e) });
      continue;
    }
    if (st.isDirectory()) await folder(given, given, w);
    else if (!st.isFile()) {
      const link = (await fs.lstat(given).catch(() => st)).isSymbolicLink();
      w.items.push({ file: given, kind: 'skipped', reason: notRegularText(st, link) });
    } else await file(given, given, w);
  }
  return {
    items: w.items,
    close: () => {
      for (const z of w.opened) z.close();
      if (temp) fsSync.rmSync(temp, { recursive: true, force: true });
    },
  };
}

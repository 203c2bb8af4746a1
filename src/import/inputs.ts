import fs from 'node:fs/promises';
import path from 'node:path';
import yauzl from 'yauzl';

/** One thing to import: a file on disk, an archive member, or a verdict reached without decoding. */
export type InputItem =
  | { file: string; kind: 'path'; path: string }
  | { file: string; kind: 'bytes'; load: () => Promise<Buffer> }
  | { file: string; kind: 'skipped'; reason: string }
  | { file: string; kind: 'failed'; error: string };

export interface Inputs {
  items: InputItem[];
  /** Closes the archives the items read from. */
  close(): void;
}

const FIT_NAME = /\.fit(\.gz)?$/i;
const ZIP_NAME = /\.zip$/i;
const OTHER_FORMAT = /\.(gpx|tcx)(\.gz)?$/i;
/** No activity FIT file comes near this; larger archive members are refused, not read. */
const MAX_MEMBER_BYTES = 256 * 1024 * 1024;

const unsupported = (name: string): string => {
  const format = (OTHER_FORMAT.exec(name)?.[1] ?? '').toUpperCase();
  return `${format} is not supported: kneecheck reads FIT files (export the original .fit instead)`;
};

/** A file-system error as a user reads it. */
export const errorText = (e: unknown): string => {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'no such file or folder';
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission denied';
  return err.message ?? String(e);
};

async function readStream(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function zipMembers(
  zip: yauzl.ZipFile,
  label: string,
  items: InputItem[],
  opened: yauzl.ZipFile[],
): Promise<void> {
  opened.push(zip);
  for await (const entry of zip.eachEntry()) {
    const name = entry.fileName;
    if (name.endsWith('/')) continue;
    const file = `${label}!${name}`;
    if (OTHER_FORMAT.test(name)) {
      items.push({ file, kind: 'skipped', reason: unsupported(name) });
    } else if (
      entry.uncompressedSize > MAX_MEMBER_BYTES &&
      (FIT_NAME.test(name) || ZIP_NAME.test(name))
    ) {
      items.push({ file, kind: 'failed', error: `too large (${entry.uncompressedSize} bytes)` });
    } else if (FIT_NAME.test(name)) {
      items.push({
        file,
        kind: 'bytes',
        load: async () => readStream(await zip.openReadStreamPromise(entry)),
      });
    } else if (ZIP_NAME.test(name)) {
      // Garmin's export nests its uploaded FIT files in zips inside the zip.
      try {
        const inner = await yauzl.fromBufferPromise(
          await readStream(await zip.openReadStreamPromise(entry)),
        );
        await zipMembers(inner, file, items, opened);
      } catch (e) {
        items.push({ file, kind: 'failed', error: `unreadable zip archive: ${errorText(e)}` });
      }
    }
  }
}

async function walk(dir: string, label: string, items: InputItem[], opened: yauzl.ZipFile[]) {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    items.push({ file: label, kind: 'failed', error: `cannot read folder: ${errorText(e)}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    const shown = path.join(label, e.name);
    if (e.isDirectory()) await walk(full, shown, items, opened);
    else if (FIT_NAME.test(e.name)) items.push({ file: shown, kind: 'path', path: full });
    else if (ZIP_NAME.test(e.name)) await archive(full, shown, items, opened);
    else if (OTHER_FORMAT.test(e.name))
      items.push({ file: shown, kind: 'skipped', reason: unsupported(e.name) });
    // Anything else in a folder (notes, JSON, .DS_Store) is not an activity and is left alone.
  }
}

async function archive(full: string, label: string, items: InputItem[], opened: yauzl.ZipFile[]) {
  try {
    await zipMembers(
      await yauzl.openPromise(full, { lazyEntries: true, autoClose: false }),
      label,
      items,
      opened,
    );
  } catch (e) {
    items.push({ file: label, kind: 'failed', error: `unreadable zip archive: ${errorText(e)}` });
  }
}

/**
 * Expands what the user named into importable items, in a stable order: files as given, folders
 * recursively (sorted by name), `.zip` exports member by member (nested zips included). Members
 * are read only when their turn comes.
 */
export async function collectInputs(paths: readonly string[]): Promise<Inputs> {
  const items: InputItem[] = [];
  const opened: yauzl.ZipFile[] = [];
  for (const given of paths) {
    let stat;
    try {
      stat = await fs.stat(given);
    } catch (e) {
      items.push({ file: given, kind: 'failed', error: errorText(e) });
      continue;
    }
    if (stat.isDirectory()) await walk(given, given, items, opened);
    else if (ZIP_NAME.test(given)) await archive(given, given, items, opened);
    else if (OTHER_FORMAT.test(given))
      items.push({ file: given, kind: 'skipped', reason: unsupported(given) });
    // A file named explicitly is tried as FIT whatever its name; its content decides.
    else items.push({ file: given, kind: 'path', path: given });
  }
  return {
    items,
    close: () => {
      for (const z of opened) z.close();
    },
  };
}

import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import {
  MAX_ARCHIVE_INFLATED_BYTES,
  MAX_FIT_BYTES,
  MAX_ZIP_DEPTH,
  megabytes,
  readCapped,
  tooLargeText,
} from './bounded.ts';
import { ZIP_NAME, claimantOf } from '../../importers/names.ts';
import { appleMember } from './apple.ts';
import type { InputItem } from './types.ts';

/** A file-system or archive error as a user reads it. */
export const errorText = (e: unknown): string => {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'no such file or folder';
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission denied';
  return err.message ?? String(e);
};

/** The state of one collection of inputs that archives add to. */
export interface ArchiveContext {
  items: InputItem[];
  /** Archives open until the import ends (members are read when their turn comes). */
  opened: yauzl.ZipFile[];
  /** A private temporary folder for nested archives, made on first use. */
  tempDir: () => Promise<string>;
}

/** Bytes inflated so far from one top-level archive, nested archives included. */
interface Budget {
  inflated: number;
  nested: number;
}

const unsafeReason = (problem: string): string =>
  `unsafe name in the archive (${problem.replace(/:.*$/, '')}): skipped, not read`;

const budgetText = `refused: the archive would inflate past ${megabytes(MAX_ARCHIVE_INFLATED_BYTES)}`;

/**
 * Lists the members of a zip archive as input items: members an importer claims (names.ts: FIT,
 * GPX, TCX, gzipped or not) are read when their turn comes (at most {@link MAX_FIT_BYTES} each),
 * others are left out, nested zips (Garmin's export) are inflated to a temporary
 * file and listed in turn, up to {@link MAX_ZIP_DEPTH} deep; the whole archive may inflate to at
 * most {@link MAX_ARCHIVE_INFLATED_BYTES}. A member with an unsafe name (absolute, `..`) is
 * skipped with a reason and the rest of the archive read. yauzl checks that each member inflates
 * to exactly its declared size, so the declared sizes can be budgeted before anything is read.
 */
export async function listArchive(
  zipPath: string,
  label: string,
  ctx: ArchiveContext,
  depth = 1,
  budget: Budget = { inflated: 0, nested: 0 },
): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    // decodeStrings: false, so a bad member name is ours to skip, not an error for the archive.
    zip = await yauzl.openPromise(zipPath, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: false,
    });
  } catch (e) {
    ctx.items.push({
      file: label,
      kind: 'failed',
      error: `unreadable zip archive: ${errorText(e)}`,
    });
    return;
  }
  ctx.opened.push(zip);
  try {
    for await (const entry of zip.eachEntry()) {
      await member(zip, entry, label, ctx, depth, budget);
    }
  } catch (e) {
    ctx.items.push({
      file: label,
      kind: 'failed',
      error: `unreadable zip archive: ${errorText(e)}`,
    });
  }
}

async function member(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  label: string,
  ctx: ArchiveContext,
  depth: number,
  budget: Budget,
): Promise<void> {
  const { items } = ctx;
  const name = yauzl.getFileNameLowLevel(
    entry.generalPurposeBitFlag,
    entry.fileNameRaw,
    entry.extraFields,
    false,
  );
  if (name.endsWith('/')) return;
  const file = `${label}!${name}`;
  const unsafe = yauzl.validateFileName(name);
  if (unsafe !== null) {
    items.push({ file, kind: 'skipped', reason: unsafeReason(unsafe) });
    return;
  }
  // An Apple Health export's export.xml and route files (streamed, not capped like a FIT file).
  if (appleMember(zip, entry, name, file, items)) return;
  const claimant = claimantOf(name);
  const isZip = claimant === null && ZIP_NAME.test(name);
  if (claimant === null && !isZip) return;
  const size = entry.uncompressedSize;
  if (claimant !== null && size > MAX_FIT_BYTES) {
    items.push({ file, kind: 'failed', error: tooLargeText(`the file (${megabytes(size)}) is`) });
    return;
  }
  if (isZip && depth + 1 > MAX_ZIP_DEPTH) {
    items.push({
      file,
      kind: 'failed',
      error: `refused: zip archives nested deeper than ${MAX_ZIP_DEPTH} levels`,
    });
    return;
  }
  if (budget.inflated + size > MAX_ARCHIVE_INFLATED_BYTES) {
    items.push({ file, kind: 'failed', error: budgetText });
    return;
  }
  budget.inflated += size;
  if (claimant !== null) {
    const fitHeader = claimant === 'fit';
    items.push({
      file,
      kind: 'bytes',
      load: async () =>
        readCapped(await zip.openReadStreamPromise(entry), MAX_FIT_BYTES, size, fitHeader),
    });
    return;
  }
  // A nested archive needs random access: it goes to a temporary file, never whole into memory.
  const inner = path.join(await ctx.tempDir(), `${++budget.nested}.zip`);
  try {
    await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(inner));
  } catch (e) {
    await fs.rm(inner, { force: true });
    items.push({ file, kind: 'failed', error: `unreadable zip archive: ${errorText(e)}` });
    return;
  }
  await listArchive(inner, file, ctx, depth + 1, budget);
}

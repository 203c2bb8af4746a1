import type { Stats } from 'node:fs';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/*
 * Inputs are bounded (DESIGN §8): a FIT, GPX or TCX file larger than 64 MB once decompressed, a zip nested
 * deeper than 4, or an archive that would inflate past 2 GB is refused with a reason, and nothing
 * is held whole in memory beyond those caps.
 */

const MB = 1024 * 1024;
/** Largest FIT file read, bytes once decompressed (DESIGN §8; a one-hour run is about 0.3 MB). */
export const MAX_FIT_BYTES = 64 * MB;
/** Deepest zip nesting read: an export zip holding zips holding zips… (DESIGN §8). */
export const MAX_ZIP_DEPTH = 4;
/** Most bytes one archive (its nested archives included) may inflate to (DESIGN §8). */
export const MAX_ARCHIVE_INFLATED_BYTES = 2 * 1024 * MB;

/** An input kneecheck will not read, and why (a user reads the message). */
export class InputRefused extends Error {
  override readonly name = 'InputRefused';
}

export const megabytes = (bytes: number): string => `${Math.round((bytes / MB) * 10) / 10} MB`;

/** "larger than 64 MB once decompressed", for the messages of every refusal of a size. */
export const tooLargeText = (what: string): string =>
  `refused: ${what} larger than ${megabytes(MAX_FIT_BYTES)} ` +
  '(no activity file is near this size; a compressed bomb or the wrong file)';

/** What kind of thing a non-regular file is, in words ("a FIFO", "a device"). */
export function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/** The reason a non-regular file is skipped (FIFOs and devices are never opened: reads block). */
export const notRegularText = (st: Stats, viaLink: boolean): string =>
  `not a regular file: ${viaLink ? 'a link to ' : ''}${kindOf(st)}; not read`;

/**
 * Reads a regular file of at most `limit` bytes. It is checked with stat before it is opened,
 * and opened non-blocking and checked again (it may have been swapped for a FIFO meanwhile), so a
 * FIFO or device never blocks the import. `fitHeader`: refuse bytes that are neither gzip nor
 * FIT after their first 12 (for a file the FIT importer reads; GPX and TCX are text).
 */
export async function readRegularFile(
  file: string,
  limit = MAX_FIT_BYTES,
  fitHeader = true,
): Promise<Buffer> {
  return (await readRegular(file, limit, fitHeader)).bytes;
}

/**
 * {@link readRegularFile}, with the file's stat taken on the opened file before reading (its size
 * and mtime then: what the import's memo notes beside the bytes' hash).
 */
export async function readRegular(
  file: string,
  limit = MAX_FIT_BYTES,
  fitHeader = true,
): Promise<{ bytes: Buffer; st: Stats }> {
  const before = await fs.stat(file);
  if (!before.isFile()) throw new InputRefused(notRegularText(before, false));
  if (before.size > limit)
    throw new InputRefused(tooLargeText(`the file (${megabytes(before.size)}) is`));
  const fh = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new InputRefused(notRegularText(st, false));
    const stream = fh.createReadStream({ start: 0, end: limit, autoClose: false });
    return { bytes: await readCapped(stream, limit, st.size, fitHeader), st };
  } finally {
    await fh.close();
  }
}

/** What the FIT importer says of bytes without a FIT header (the same words, read or not). */
export const NOT_FIT_TEXT = 'not a FIT file: the header does not say ".FIT"';

/**
 * Bytes that are neither gzip nor a FIT file: the first byte is not a FIT header size (12 or
 * 14) or bytes 8–11 are not ".FIT" (the FIT SDK's `isFIT` test). Looked at before a large input
 * is read whole: an archive member of 60 MB of noise is refused after its first bytes.
 */
export function notFitHeader(head: Uint8Array): boolean {
  if (head.length < 12 || (head[0] === 0x1f && head[1] === 0x8b)) return false;
  const sig = String.fromCharCode(...head.subarray(8, 12));
  return !(head[0] === 12 || head[0] === 14) || sig !== '.FIT';
}

/**
 * Collects a stream of at most `limit` bytes; a longer one is destroyed and refused, and so is one
 * whose first bytes are neither gzip nor a FIT header (unless `fitHeader` is false: a GPX or TCX
 * file). `expected` (a stat size or an archive's declared size) lets the bytes go straight into
 * one buffer.
 */
export async function readCapped(
  stream: NodeJS.ReadableStream,
  limit: number,
  expected = 0,
  fitHeader = true,
): Promise<Buffer> {
  let out = Buffer.allocUnsafe(Math.min(Math.max(expected, 0), limit));
  let size = 0;
  const stop = (message: string): never => {
    (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    throw new InputRefused(message);
  };
  for await (const chunk of stream) {
    const c = chunk as Buffer;
    if (size + c.length > limit) stop(tooLargeText('the file is'));
    if (size + c.length > out.length) {
      const grown = Buffer.allocUnsafe(Math.min(limit, Math.max(2 * out.length, size + c.length)));
      out.copy(grown, 0, 0, size);
      out = grown;
    }
    c.copy(out, size);
    const before = size;
    size += c.length;
    if (fitHeader && before < 12 && size >= 12 && notFitHeader(out.subarray(0, 12))) {
      stop(NOT_FIT_TEXT);
    }
  }
  // Exactly sized: a view into a larger buffer would take all of it along to a decoder thread.
  return size === out.length ? out : Buffer.from(out.subarray(0, size));
}

const gunzipAsync = promisify(
  (buf: Uint8Array, opts: zlib.ZlibOptions, cb: (e: Error | null, out: Buffer) => void) =>
    zlib.gunzip(buf, opts, cb),
);

/**
 * Gunzips on the thread pool (the event loop, and so the daemon's web server, stays free), and
 * stops as soon as the output would pass `limit` bytes: a gzip bomb costs at most `limit`.
 */
export async function gunzipBounded(gz: Uint8Array, limit = MAX_FIT_BYTES): Promise<Buffer> {
  try {
    return await gunzipAsync(gz, { maxOutputLength: limit });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
      throw new InputRefused(tooLargeText('once decompressed the file is'), { cause: e });
    }
    throw new Error(`corrupt gzip data: ${err.message}`, { cause: e });
  }
}

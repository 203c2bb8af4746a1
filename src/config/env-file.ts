import fs from 'node:fs';
import { parseEnv } from 'node:util';
import { KneecheckError } from '../errors.ts';

/** The largest `.env` read, bytes: a settings file is a few hundred bytes (issue 21 item 11). */
export const MAX_ENV_FILE_BYTES = 64 * 1024;

const kindOf = (st: fs.Stats): string =>
  st.isFIFO()
    ? 'a FIFO (named pipe)'
    : st.isCharacterDevice() || st.isBlockDevice()
      ? 'a device'
      : st.isSocket()
        ? 'a socket'
        : st.isDirectory()
          ? 'a folder'
          : 'not a regular file';

/**
 * The settings of the `.env` file `file` ({} when there is none). Read only when it is a regular
 * file of at most {@link MAX_ENV_FILE_BYTES} (a FIFO or a link to /dev/zero hung every command):
 * opened without blocking and checked on the open descriptor, so it cannot change in between.
 * A UTF-8 byte order mark is stripped (it silently dropped the first line). Anything else throws
 * a {@link KneecheckError} naming the file.
 */
export function readEnvFile(file: string): NodeJS.Dict<string> {
  const refuse = (why: string, cause?: unknown): KneecheckError =>
    new KneecheckError(`the settings file ${file} ${why}: fix or remove it`, { cause });
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return {};
    throw refuse(`cannot be read (${code ?? String(e)})`, e);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw refuse(`is ${kindOf(st)}, not a regular file`);
    if (st.size > MAX_ENV_FILE_BYTES) {
      throw refuse(`is ${st.size} bytes; a settings file is at most ${MAX_ENV_FILE_BYTES} bytes`);
    }
    const bytes = Buffer.alloc(st.size);
    let got = 0;
    while (got < bytes.length) {
      const n = fs.readSync(fd, bytes, got, bytes.length - got, got);
      if (n === 0) break;
      got += n;
    }
    const text = bytes.subarray(0, got).toString('utf8');
    return parseEnv(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (e) {
    if (e instanceof KneecheckError) throw e;
    throw refuse(`cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, e);
  } finally {
    fs.closeSync(fd);
  }
}

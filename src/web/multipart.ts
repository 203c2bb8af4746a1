/**
 * A streaming reader of `multipart/form-data` bodies (RFC 7578): file parts go to a sink as they
 * arrive (the upload writes them to disk), so a body of hundreds of MB is never held whole.
 * Hono's `parseBody` buffers the whole body; no multipart package is a dependency.
 */

/** Why a body was refused: `status` is the HTTP answer, `message` what the user reads. */
export class MultipartError extends Error {
  override readonly name = 'MultipartError';
  readonly status: 400 | 403 | 413;
  constructor(message: string, status: 400 | 403 | 413 = 400) {
    super(message);
    this.status = status;
  }
}

/** Where a file part's bytes go. */
export interface FileSink {
  write(chunk: Uint8Array): Promise<void>;
  /** The part is complete. */
  end(): Promise<void>;
}

export interface MultipartHandlers {
  /** A plain field (`value` at most {@link MultipartLimits.fieldBytes} bytes, UTF-8). */
  field(name: string, value: string): void;
  /** A file part begins; `filename` as the browser sent it (may be empty). */
  file(name: string, filename: string): Promise<FileSink>;
}

export interface MultipartLimits {
  /** Most bytes of the whole body, boundaries included. */
  bodyBytes: number;
  /** Most bytes of one plain field. */
  fieldBytes: number;
  /** Most parts (files and fields). */
  parts: number;
  /** What a body over `bodyBytes` is told (default: "the upload is larger than …"). */
  tooLargeMessage?: string;
}

/** Headers of one part: more than this is not a browser's form. */
const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary of a `multipart/form-data` Content-Type, or null for any other type. */
export function boundaryOf(contentType: string | undefined): string | null {
  if (!/^multipart\/form-data\s*;/i.test(contentType ?? '')) return null;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType ?? '');
  return m?.[1] ?? m?.[2] ?? null;
}

/** A parameter of a Content-Disposition header (`name`, `filename`); `filename*` preferred. */
function dispositionParam(header: string, key: string): string | null {
  const star = new RegExp(`;\\s*${key}\\*=(?:UTF-8|utf-8)''([^;]*)`).exec(header);
  if (star?.[1] !== undefined) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      // fall through to the plain parameter
    }
  }
  const quoted = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header);
  if (quoted?.[1] !== undefined) return quoted[1].replace(/\\(.)/g, '$1');
  const bare = new RegExp(`;\\s*${key}=([^;\\s]*)`, 'i').exec(header);
  return bare?.[1] ?? null;
}

interface PartHead {
  name: string;
  filename: string | null;
}

function parseHeaders(block: string): PartHead {
  let disposition: string | null = null;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    if (line.slice(0, colon).trim().toLowerCase() === 'content-disposition') {
      disposition = line.slice(colon + 1).trim();
    }
  }
  if (!disposition || !/^form-data\s*(;|$)/i.test(disposition)) {
    throw new MultipartError('a part of the form has no "Content-Disposition: form-data" header');
  }
  const name = dispositionParam(disposition, 'name');
  if (name === null) throw new MultipartError('a part of the form has no name');
  return { name, filename: dispositionParam(disposition, 'filename') };
}

/**
 * Reads a multipart body, calling `handlers` for each part in order and waiting for each file
 * write (backpressure: the body is read no faster than the disk takes it). Throws
 * {@link MultipartError} for a body that is malformed, cut short or over `limits`.
 */
export async function readMultipart(
  body: ReadableStream<Uint8Array>,
  boundary: string,
  handlers: MultipartHandlers,
  limits: MultipartLimits,
): Promise<void> {
  // Every delimiter is CRLF "--" boundary; the body is read as if it began with a CRLF, so the
  // first delimiter (which has none before it) is found the same way.
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let buf: Buffer = Buffer.from(CRLF);
  let total = 0;
  let parts = 0;
  // Changed by step(), which TypeScript's narrowing does not see: typed wide on purpose.
  let state = 'preamble' as 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done';
  let head: PartHead | null = null;
  let sink: FileSink | null = null;
  let field: Buffer[] = [];
  let fieldBytes = 0;
  const reader = body.getReader();

  const emit = async (bytes: Buffer): Promise<void> => {
    if (bytes.length === 0) return;
    if (sink) {
      await sink.write(bytes);
      return;
    }
    fieldBytes += bytes.length;
    if (fieldBytes > limits.fieldBytes) {
      throw new MultipartError(`the form field "${head?.name ?? ''}" is too long`);
    }
    field.push(bytes);
  };

  const endPart = async (): Promise<void> => {
    if (sink) await sink.end();
    else if (head) handlers.field(head.name, Buffer.concat(field).toString('utf8'));
    sink = null;
    head = null;
    field = [];
    fieldBytes = 0;
  };

  /** Consumes what it can of `buf`; false when it needs more bytes. */
  const step = async (): Promise<boolean> => {
    switch (state) {
      case 'preamble': {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          // Keep only what could be the start of a delimiter.
          buf = buf.subarray(Math.max(0, buf.length - delimiter.length + 1));
          return false;
        }
        buf = buf.subarray(at + delimiter.length);
        state = 'after-delimiter';
        return true;
      }
      case 'after-delimiter': {
        if (buf.length < 2) return false;
        if (buf[0] === 0x2d && buf[1] === 0x2d) {
          state = 'done';
          return false;
        }
        // Transport padding (spaces, tabs) may follow a delimiter before its CRLF.
        const eol = buf.indexOf(CRLF);
        if (eol < 0) {
          if (buf.length > 256) throw new MultipartError('the form is malformed (boundary line)');
          return false;
        }
        if (buf.subarray(0, eol).toString('latin1').trim() !== '') {
          throw new MultipartError('the form is malformed (boundary line)');
        }
        buf = buf.subarray(eol + 2);
        state = 'headers';
        return true;
      }
      case 'headers': {
        const at = buf.indexOf(HEADER_END);
        if (at < 0) {
          if (buf.length > MAX_HEADER_BYTES)
            throw new MultipartError('a form part header is too long');
          return false;
        }
        if (++parts > limits.parts)
          throw new MultipartError(
            `more than ${limits.parts} files in one upload: send fewer at once`,
            413,
          );
        head = parseHeaders(buf.subarray(0, at).toString('utf8'));
        buf = buf.subarray(at + HEADER_END.length);
        if (head.filename !== null) sink = await handlers.file(head.name, head.filename);
        state = 'body';
        return true;
      }
      case 'body': {
        const at = buf.indexOf(delimiter);
        if (at >= 0) {
          await emit(buf.subarray(0, at));
          buf = buf.subarray(at + delimiter.length);
          await endPart();
          state = 'after-delimiter';
          return true;
        }
        const keep = delimiter.length - 1;
        if (buf.length > keep) {
          await emit(buf.subarray(0, buf.length - keep));
          buf = buf.subarray(buf.length - keep);
        }
        return false;
      }
      case 'done':
        return false;
    }
  };

  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limits.bodyBytes) {
        throw new MultipartError(
          limits.tooLargeMessage ?? `the upload is larger than ${limitText(limits.bodyBytes)}`,
          413,
        );
      }
      if (state === 'done') continue; // the epilogue: ignored
      // Copy: a chunk's buffer may be reused by the stream once read.
      buf = buf.length === 0 ? Buffer.from(value) : Buffer.concat([buf, value]);
      while (await step());
    }
    if (state !== 'done') {
      throw new MultipartError('the upload was cut short (the form did not end): send it again');
    }
  } catch (e) {
    // Stop the sender: the rest of a refused body is not read.
    await reader.cancel().catch(() => undefined);
    throw e;
  } finally {
    reader.releaseLock();
  }
}

/** "256 MB" for a limit in bytes. */
export const limitText = (bytes: number): string =>
  bytes >= 1024 * 1024
    ? `${Math.round(bytes / (1024 * 1024))} MB`
    : `${Math.round(bytes / 1024)} KB`;

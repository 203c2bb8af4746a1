import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ImportReport } from '../model.ts';
import type { AppDeps } from './types.ts';
import {
  MultipartError,
  boundaryOf,
  limitText,
  readMultipart,
  type FileSink,
} from './multipart.ts';
import { browserOrigin, ownOrigins } from './origin.ts';
import type { Csrf } from './security.ts';

const MB = 1024 * 1024;
/**
 * Largest upload (the whole request body), bytes: an Apple Health `export.zip` or a Strava bulk
 * export of a few years. Each file in it is then bounded as on the command line (64 MB of FIT
 * once decompressed, archives as in src/import/bounded.ts).
 */
export const MAX_UPLOAD_BYTES = 256 * MB;
/** Most files (and fields) in one upload: a folder of a season's runs picked at once. */
export const MAX_UPLOAD_PARTS = 1000;
/** Uploads imported at the same time; more are asked to wait (each may hold 256 MB on disk). */
const MAX_CONCURRENT_UPLOADS = 2;
/** The header a script on the page sends the form's CSRF token in. */
export const CSRF_HEADER = 'X-CSRF-Token';

/** What an upload came to: the import report (file names as uploaded), or why it was refused. */
export type UploadResult =
  | { ok: true; report: ImportReport }
  | { ok: false; status: 400 | 403 | 413 | 415 | 503; message: string };

/** The options of {@link receiveUpload}; `maxBytes` lowered by tests. */
export interface UploadLimits {
  maxBytes: number;
  /** Where the temp folder is made; default `os.tmpdir()`. */
  tempDir?: string;
}

/**
 * A file name as uploaded, made safe to create in a folder of our own: the last path segment
 * (browsers send only that, a hand-made request may not), no control characters, at most 200
 * characters; the extension (what decides the importer) kept.
 */
export function safeName(uploaded: string, index: number): string {
  const base = uploaded.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  let name = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (name.length > 200) name = name.slice(name.length - 200);
  if (name === '' || name === '.' || name === '..') name = `upload-${index + 1}`;
  return name;
}

let active = 0;

/**
 * `POST /api/import` and `POST /import`: checks where the request comes from and its CSRF token
 * (the `X-CSRF-Token` header, or a `csrf` field before the first file), streams the files into a
 * private temp folder (0700, files 0600), imports them through the same pipeline as
 * `kneecheck import`, and removes the folder whatever happens. New runs go to `onImported`.
 */
export async function receiveUpload(
  req: Request,
  deps: AppDeps,
  csrf: Csrf,
  limits: UploadLimits = { maxBytes: MAX_UPLOAD_BYTES },
): Promise<UploadResult> {
  // The pages send no referrer (Referrer-Policy: no-referrer), so a browser's own form post
  // carries `Origin: null`: that says nothing either way; Sec-Fetch-Site and the token decide.
  const headers = new Headers(req.headers);
  if (headers.get('Origin')?.trim() === 'null') headers.delete('Origin');
  const foreign = browserOrigin(headers, ownOrigins(deps, req.url));
  if (foreign) {
    deps.log.warn('web: upload refused (sent by another site)', { why: foreign });
    return { ok: false, status: 403, message: 'This upload did not come from this page.' };
  }
  const boundary = boundaryOf(req.headers.get('Content-Type') ?? undefined);
  if (!boundary || !req.body) {
    return {
      ok: false,
      status: 415,
      message: 'Content-Type: expected multipart/form-data with the files',
    };
  }
  const declared = Number(req.headers.get('Content-Length') ?? NaN);
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    return { ok: false, status: 413, message: tooLarge(limits.maxBytes) };
  }
  if (active >= MAX_CONCURRENT_UPLOADS) {
    return {
      ok: false,
      status: 503,
      message: 'Other uploads are being imported right now: send this one again in a minute.',
    };
  }
  active++;
  let dir: string | null = null;
  try {
    dir = await fs.mkdtemp(path.join(limits.tempDir ?? os.tmpdir(), 'kneecheck-upload-'));
    const uploaded = await receiveFiles(req, req.body, boundary, dir, csrf, limits);
    if (uploaded.length === 0) {
      return { ok: false, status: 400, message: 'No file in the upload: choose at least one.' };
    }
    const report = await importUploaded(uploaded, dir, deps);
    deps.log.info('web: upload imported', {
      files: uploaded.length,
      imported: report.imported.length,
      duplicates: report.duplicates.length,
      skipped: report.skipped.length,
      failed: report.failed.length,
    });
    return { ok: true, report };
  } catch (e) {
    if (e instanceof MultipartError) {
      deps.log.warn('web: upload refused', { why: e.message });
      return { ok: false, status: e.status, message: e.message };
    }
    throw e;
  } finally {
    active--;
    if (dir) await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

const FORM_EXPIRED =
  'This form has expired or did not come from this page: reload the dashboard and add the files again.';

const tooLarge = (max: number): string =>
  `The upload is larger than ${limitText(max)}: send fewer files at once ` +
  '(or, from a terminal, `kneecheck import <file-or-folder>`, which has no such limit).';

/** A file written to the temp folder, alone in a numbered folder, under its uploaded name. */
interface Uploaded {
  path: string;
}

async function receiveFiles(
  req: Request,
  body: ReadableStream<Uint8Array>,
  boundary: string,
  dir: string,
  csrf: Csrf,
  limits: UploadLimits,
): Promise<Uploaded[]> {
  let trusted = csrf.verify(req.headers.get(CSRF_HEADER) ?? undefined);
  const files: Uploaded[] = [];
  let parts = 0;
  // The file being written: closed here too when the body fails half-way through it.
  let writing: fs.FileHandle | null = null;
  try {
    await readMultipart(
      body,
      boundary,
      {
        field(name, value) {
          if (name === 'csrf' && csrf.verify(value)) trusted = true;
        },
        async file(_name, filename) {
          if (!trusted) {
            throw new MultipartError(FORM_EXPIRED, 403);
          }
          const index = parts++;
          const prefix = path.join(dir, String(index)) + path.sep;
          await fs.mkdir(prefix, { mode: 0o700 });
          const file = path.join(prefix, safeName(filename, files.length));
          const handle = await fs.open(file, 'wx', 0o600);
          writing = handle;
          let bytes = 0;
          const sink: FileSink = {
            async write(chunk) {
              bytes += chunk.length;
              for (let at = 0; at < chunk.length;) {
                at += (await handle.write(chunk, at)).bytesWritten;
              }
            },
            async end() {
              writing = null;
              await handle.close();
              // A file input left empty sends a part without a name or bytes: no file.
              if (bytes === 0 && filename === '') await fs.rm(prefix, { recursive: true });
              else files.push({ path: file });
            },
          };
          return sink;
        },
      },
      {
        bodyBytes: limits.maxBytes,
        fieldBytes: 4096,
        parts: MAX_UPLOAD_PARTS,
        tooLargeMessage: tooLarge(limits.maxBytes),
      },
    );
  } finally {
    await (writing as fs.FileHandle | null)?.close().catch(() => undefined);
  }
  if (!trusted) {
    throw new MultipartError(FORM_EXPIRED, 403);
  }
  return files;
}

/** Imports the files as `kneecheck import` would, and names them in the report as uploaded. */
async function importUploaded(
  files: Uploaded[],
  dir: string,
  deps: AppDeps,
): Promise<ImportReport> {
  // Each file is alone in <dir>/<n>/: dropping that leaves its name as uploaded (and a zip
  // member's path inside it), in names and in messages alike.
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const folder = new RegExp(`${escape(dir + path.sep)}\\d+${escape(path.sep)}`, 'g');
  const unprefix = (text: string): string => text.replace(folder, '');
  if (!deps.importFiles) throw new Error('kneecheck web: no import function in the app deps');
  const report = await deps.importFiles(
    files.map((f) => f.path),
    unprefix,
  );
  return {
    imported: report.imported,
    duplicates: report.duplicates,
    skipped: report.skipped.map((s) => ({ file: s.file, reason: unprefix(s.reason) })),
    failed: report.failed.map((f) => ({ file: f.file, error: unprefix(f.error) })),
  };
}

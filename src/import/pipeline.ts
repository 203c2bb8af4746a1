import { createHash } from 'node:crypto';
import path from 'node:path';
import { boundProblemOf, countFitMessages, looksFit } from '../../importers/fit-bounds.ts';
import type { ImportContext, ImportOutcome } from '../../importers/types.ts';
import type { ImportReport, Run, RunId } from '../model.ts';
import type { Store } from '../store/index.ts';
import { claimantOf, formatsText } from '../../importers/names.ts';
import { MAX_FIT_BYTES, NOT_FIT_TEXT, gunzipBounded, readRegular } from './bounded.ts';
import type * as Decode from './decode.ts';
import { collectInputs, errorText } from './inputs.ts';
import { readAppleItem } from './apple.ts';
import type { InputItem } from './types.ts';
import { ImportMemo } from './memo.ts';
import { DecodePool, defaultThreads } from './pool.ts';

/** The `import --json` document (DESIGN §4). */
export type { ImportReport } from '../model.ts';

export interface ImportOptions {
  store: Store;
  ctx: ImportContext;
  /** ISO time stamped on new rows (KNEECHECK_NOW in tests). */
  now: () => string;
  /** Decoder threads; default: one per core but one when there are enough files to pay for them. */
  workers?: number;
  /**
   * A long-lived pool to decode on (the daemon's), left running afterwards; used when its threads
   * are already up or there are enough files to pay for starting them. `workers` is then ignored.
   */
  pool?: DecodePool;
  /**
   * Look files up in, and note them in, the memo of paths already read (default true). The
   * daemon passes false for inbox files: they move away once read.
   */
  memo?: boolean;
  /**
   * Paths the caller has just stat'ed and found to be regular files (the daemon's watcher does
   * before every batch): not stat'ed again before they are read.
   */
  regularFiles?: ReadonlySet<string>;
  /**
   * How a file is named in the report, the files table and `onFile` (default: as given). The
   * web upload drops its temp folder, so files are named as uploaded.
   */
  label?: (file: string) => string;
  onProgress?: (done: number, total: number) => void;
  /** Bytes of an Apple Health export.xml read so far and its size (null: unknown), as it streams. */
  onBytes?: (done: number, total: number | null) => void;
  /** Called for each file once its result is stored. */
  onFile?: (file: string, result: FileResult) => void;
}

/** A file on disk as it was read: absolute path, size (bytes) and mtime (ms) then. */
interface SeenAt {
  path: string;
  size: number;
  mtimeMs: number;
}

/**
 * What became of one input, before it is stored. `seen`: the file as read (its path, size and
 * mtime go into the memo with the hash when stored); absent for archive members and for files
 * known from the memo without reading.
 */
type Decided =
  | { kind: 'known'; sha256: string; runIds: RunId[]; seen?: SeenAt; version?: number }
  | { kind: 'decoded'; sha256: string; size: number; outcome: ImportOutcome; seen?: SeenAt }
  | { kind: 'unread'; outcome: ImportOutcome & { kind: 'skipped' | 'failed' } };

export type FileResult =
  | { kind: 'imported'; runs: Run[] }
  | { kind: 'duplicate'; of: RunId }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; error: string };

/** Below this many files, thread start-up costs more than it saves. */
const MIN_FILES_FOR_WORKERS = 8;
/** Bytes of files handed to decoder threads and not yet decoded (beyond one file). */
const MAX_BYTES_IN_FLIGHT = 32 * 1024 * 1024;
/**
 * Larger files, or files of more messages, are always decoded on a decoder thread, whose heap is
 * bounded (pool.ts), even when the import decodes the others here. A one-hour run is about
 * 0.3 MB and 4,000 messages and decodes in a few MB; a damaged file of 1 MB of tiny messages
 * would cost the FIT SDK (which keeps an object of some 400 bytes per message) 200 MB here.
 */
const INLINE_MAX_BYTES = 1024 * 1024;
const INLINE_MAX_MESSAGES = 50_000;
/** Results stored per write transaction. */
const WRITE_BATCH = 64;

const isGzip = (b: Uint8Array) => b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;

/**
 * A file's bytes (FIT, GPX, TCX), decompressed when gzipped, and for a file on disk its size and mtime as
 * read; bounded (DESIGN §8): more than {@link MAX_FIT_BYTES} read or inflated is refused, and a
 * FIFO or device is never opened.
 */
async function readItem(
  item: InputItem & { kind: 'path' | 'bytes' },
): Promise<{ bytes: Uint8Array; seen?: SeenAt }> {
  let raw: Uint8Array;
  let seen: SeenAt | undefined;
  if (item.kind === 'path') {
    // A file no importer claims is tried as FIT (decode.ts): its first bytes must say so.
    const fitHeader = (claimantOf(item.file) ?? 'fit') === 'fit';
    const { bytes, st } = await readRegular(item.path, MAX_FIT_BYTES, fitHeader);
    raw = bytes;
    seen = { path: path.resolve(item.path), size: st.size, mtimeMs: st.mtimeMs };
  } else raw = await item.load();
  const bytes = isGzip(raw) ? await gunzipBounded(raw, MAX_FIT_BYTES) : raw;
  return { bytes, ...(seen && { seen }) };
}

/**
 * A file named explicitly that no importer claims is tried as FIT; when it is not one either, the
 * message says what kneecheck does read.
 */
const unclaimedHint = (file: string, error: string): string =>
  claimantOf(file) === null && error.startsWith(NOT_FIT_TEXT)
    ? `${error}; kneecheck reads ${formatsText('and')} files (also gzipped) and .zip exports of them`
    : error;

/**
 * Imports files, folders and archives: reads and hashes on this thread, decodes on worker
 * threads, and stores results in input order, in batched transactions. A file unchanged since it
 * was last read (same path, size and mtime) whose run is stored is a duplicate without being read
 * (the memo, {@link ImportMemo}). A bad file is reported and never stops the others.
 */
export async function importPaths(
  paths: readonly string[],
  opts: ImportOptions,
): Promise<ImportReport> {
  const { store, ctx } = opts;
  const memo = opts.memo === false ? null : new ImportMemo(store, paths);
  const inputs = await collectInputs(paths, opts.regularFiles);
  const { items } = inputs;
  const total = items.length;
  const report: ImportReport = { imported: [], duplicates: [], skipped: [], failed: [] };
  const decodable = items.filter((i) => i.kind === 'path' || i.kind === 'bytes').length;
  const enough = decodable >= MIN_FILES_FOR_WORKERS;
  const shared = opts.pool && (enough || opts.pool.threads > 0) ? opts.pool : null;
  const threads = opts.workers ?? (enough ? defaultThreads() : 0);
  const own = !opts.pool && threads > 0 ? new DecodePool(threads, ctx) : null;
  const pool = shared ?? own;
  // Large files when the others decode here: the caller's pool, or one thread of our own.
  let bigOwn: DecodePool | null = null;
  const bigPool = (): DecodePool => opts.pool ?? (bigOwn ??= new DecodePool(1, ctx));

  const nameOf = (item: InputItem): string => (opts.label ? opts.label(item.file) : item.file);
  const decided = new Map<number, Decided>();
  let decode: typeof Decode | null = null;
  let nextToStore = 0;
  let done = 0;
  // A run of this import that replaced a stored one may change what a memo hit is a duplicate of.
  let replaced = false;
  const storeReady = () => {
    const ready: [InputItem, Decided][] = [];
    while (decided.has(nextToStore)) {
      ready.push([items[nextToStore] as InputItem, decided.get(nextToStore) as Decided]);
      decided.delete(nextToStore);
      nextToStore++;
    }
    if (ready.length === 0) return;
    for (let i = 0; i < ready.length; i += WRITE_BATCH) {
      const chunk = ready.slice(i, i + WRITE_BATCH);
      const results = store.batch(() => {
        const current = store.changesElsewhere();
        return chunk.map(([item, d]) => {
          const stored = storeOne(nameOf(item), d, opts, replaced ? -1 : current);
          if (stored.superseded.length > 0) replaced = true;
          return stored;
        });
      });
      chunk.forEach(([item], k) => {
        const r = results[k] as Stored;
        addToReport(report, nameOf(item), r);
        opts.onFile?.(nameOf(item), r.result);
        opts.onProgress?.(++done, total);
      });
    }
  };

  const inFlight = new Set<Promise<void>>();
  let inFlightBytes = 0;
  try {
    for (let index = 0; index < items.length; index++) {
      const item = items[index] as InputItem;
      if (item.kind === 'skipped' || item.kind === 'failed') {
        decided.set(index, {
          kind: 'unread',
          outcome:
            item.kind === 'skipped'
              ? { kind: 'skipped', reason: item.reason }
              : { kind: 'failed', error: item.error },
        });
        storeReady();
        continue;
      }
      if (item.kind === 'apple-health') {
        // An Apple Health export: streamed here, its runs stored as one file's (src/import/apple.ts).
        const hit = item.path !== null && memo ? memo.known(item.path) : null;
        if (hit) {
          decided.set(index, {
            kind: 'known',
            sha256: hit.sha256,
            runIds: [hit.of],
            version: hit.version,
          });
        } else {
          const { outcome, sha256, size, seen, note } = await readAppleItem(
            item,
            ctx,
            opts.onBytes,
          );
          if (note) report.skipped.push({ file: item.file, reason: note });
          decided.set(index, { kind: 'decoded', sha256, size, outcome, ...(seen && { seen }) });
        }
        storeReady();
        continue;
      }
      const hit = item.kind === 'path' && memo ? memo.known(item.path) : null;
      if (hit) {
        const { sha256, of, version } = hit;
        decided.set(index, { kind: 'known', sha256, runIds: [of], version });
        // Stored in batches of WRITE_BATCH (one transaction each), not one by one.
        if (decided.size >= WRITE_BATCH) storeReady();
        continue;
      }
      let bytes: Uint8Array;
      let seen: SeenAt | undefined;
      try {
        ({ bytes, seen } = await readItem(item));
      } catch (e) {
        const error = unclaimedHint(item.file, errorText(e));
        decided.set(index, { kind: 'unread', outcome: { kind: 'failed', error } });
        storeReady();
        continue;
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const runIds = store.runs.runIdsOfFile(sha256);
      if (runIds.length > 0) {
        decided.set(index, { kind: 'known', sha256, runIds, ...(seen && { seen }) });
        storeReady();
        continue;
      }
      const job = { file: item.file, bytes, sha256 };
      const size = bytes.length;
      // Counted here (a scan of the message headers, under 1 ms a MB) for a large file, or one to
      // decode here: one past the bounds of fit-bounds.ts fails without being handed to a thread
      // (a poison of 60 MB is not copied); one of many messages is decoded on a bounded thread.
      const counts = size > INLINE_MAX_BYTES || !pool ? countFitMessages(bytes) : null;
      const refused = counts && looksFit(bytes) ? boundProblemOf(counts) : null;
      if (refused) {
        const outcome = { kind: 'failed' as const, error: refused };
        decided.set(index, { kind: 'decoded', sha256, size, outcome, ...(seen && { seen }) });
        storeReady();
        continue;
      }
      const here = counts && size <= INLINE_MAX_BYTES && counts.messages <= INLINE_MAX_MESSAGES;
      const via = pool ?? (here ? null : bigPool());
      if (!via) {
        // The decoders (and the FIT SDK's profile) load with the first file to decode here: an
        // import of files already stored needs none of them.
        decode ??= await import('./decode.ts');
        const outcome = decode.decodeJob(job, ctx);
        decided.set(index, { kind: 'decoded', sha256, size, outcome, ...(seen && { seen }) });
        storeReady();
        continue;
      }
      inFlightBytes += size;
      const p: Promise<void> = via.decode(job).then((outcome) => {
        decided.set(index, { kind: 'decoded', sha256, size, outcome, ...(seen && { seen }) });
        inFlight.delete(p);
        inFlightBytes -= size;
        storeReady();
      });
      inFlight.add(p);
      // Keep two files per thread in hand: enough to stay busy, little memory; and few bytes,
      // since a file may be up to MAX_FIT_BYTES and each larger one is copied to its thread.
      while (
        inFlight.size > 0 &&
        (via.load >= via.size * 2 || inFlightBytes > MAX_BYTES_IN_FLIGHT)
      ) {
        await Promise.race(inFlight);
      }
    }
    await Promise.all(inFlight);
    storeReady();
  } finally {
    inputs.close();
    await own?.close();
    await (bigOwn as DecodePool | null)?.close();
  }
  return report;
}

/** A file's result, and the runs it replaced as the better record of the same run. */
interface Stored {
  result: FileResult;
  superseded: [RunId, RunId][];
}

/**
 * Stores one file's result. `version`: {@link Store.changesElsewhere} now, or -1 when a run of
 * this import replaced a stored run (a memo hit read before then is looked up again).
 */
function storeOne(file: string, d: Decided, opts: ImportOptions, version: number): Stored {
  const { store } = opts;
  const now = opts.now();
  if (d.kind === 'unread') return { result: d.outcome, superseded: [] };
  if (d.seen && opts.memo !== false) {
    store.files.rememberPath(d.seen.path, { ...d.seen, sha256: d.sha256 }, now);
  }
  if (d.kind === 'known') {
    // Seen before; look again inside the write lock (another process, or this import, may have
    // merged it since), unless nothing has changed since it was looked up.
    const current = d.version !== undefined && d.version === version;
    const of = (current ? null : store.runs.firstRunIdOfFile(d.sha256)) ?? d.runIds[0];
    return { result: { kind: 'duplicate', of: of as RunId }, superseded: [] };
  }
  const { outcome, sha256, size } = d;
  const record = { sha256, path: file, size };
  if (outcome.kind !== 'runs') {
    const message = outcome.kind === 'skipped' ? outcome.reason : outcome.error;
    store.recordFile({ ...record, status: outcome.kind, message }, now);
    return { result: outcome, superseded: [] };
  }
  const imported: Run[] = [];
  const superseded: [RunId, RunId][] = [];
  let duplicateOf: RunId | null = null;
  for (const r of outcome.runs) {
    const saved = store.saveRun(r, sha256, now);
    if (saved.status === 'imported') {
      imported.push(saved.run);
      if (saved.supersedes) superseded.push([saved.supersedes, saved.run.id]);
    } else {
      duplicateOf ??= saved.of;
    }
  }
  const status = imported.length > 0 ? 'imported' : 'duplicate';
  store.recordFile({ ...record, status, message: null }, now);
  const result: FileResult =
    imported.length > 0
      ? { kind: 'imported', runs: imported }
      : { kind: 'duplicate', of: duplicateOf as RunId };
  return { result, superseded };
}

function addToReport(report: ImportReport, file: string, { result: r, superseded }: Stored): void {
  // A file earlier in this import whose run was just replaced by a better record is now a duplicate.
  for (const [oldId, newId] of superseded) {
    const earlier = report.imported.filter((e) => e.run.id === oldId);
    report.imported = report.imported.filter((e) => e.run.id !== oldId);
    for (const e of report.duplicates) if (e.of === oldId) e.of = newId;
    for (const e of earlier) report.duplicates.push({ file: e.file, of: newId });
  }
  switch (r.kind) {
    case 'imported':
      for (const run of r.runs) report.imported.push({ file, run });
      break;
    case 'duplicate':
      report.duplicates.push({ file, of: r.of });
      break;
    case 'skipped':
      report.skipped.push({ file, reason: r.reason });
      break;
    case 'failed':
      report.failed.push({ file, error: r.error });
  }
}

/**
 * `importPaths` bound to one store, as the web app's uploads use it (`AppDeps.importFiles`): files
 * of a private temp folder, so no memo of their paths; `label` names each file as uploaded.
 */
export function uploadImporter(
  store: Store,
  timezone: string,
  now: () => Date,
): (paths: readonly string[], label: (text: string) => string) => Promise<ImportReport> {
  return (paths, label) =>
    importPaths(paths, {
      store,
      ctx: { timezone },
      now: () => now().toISOString(),
      memo: false,
      label,
    });
}

import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { watch, type FSWatcher } from 'chokidar';
import { importPaths, type FileResult, type ImportReport } from '../import/pipeline.ts';
import { silentLogger, type Logger } from '../log.ts';
import type { Store } from '../store/index.ts';
import {
  ACTIVITY_NAME,
  ERROR_SUFFIX,
  FAILED_DIR,
  OTHER_FORMAT_NAME,
  PROCESSED_DIR,
  TEMP_NAME,
  errorNote,
  moveNoClobber,
} from './inbox.ts';

export interface WatcherOptions {
  /** The drop folder (created when missing): imported files move to `processed/`, bad ones to `failed/`. */
  inbox: string;
  /** Read-only folders (e.g. a mounted watch's GARMIN/Activity): imported in place, never written. */
  sources?: readonly string[];
  store: Store;
  /** KNEECHECK_TIMEZONE: the zone for sources without local time. */
  timezone: string;
  /** The clock stamped on stored rows and `.error.txt` notes (default: the real time). */
  now?: () => Date;
  logger?: Logger;
  /** Called after each batch with its report (also when nothing new was imported). Errors are logged. */
  onImported?: (report: ImportReport) => void | Promise<void>;
  /** A file must keep its size this long before it is read (chokidar `awaitWriteFinish`); default 300 ms. */
  stabilityMs?: number;
  /** Events are collected this long before a batch starts (default 200 ms; at most 5× that in a steady stream). */
  debounceMs?: number;
  /** Files per `importPaths` call (default 100). */
  batchSize?: number;
  /**
   * A file that failed or gave a partial run and was modified less than this long ago may still
   * be being copied: it is looked at again after this long, and imported again if it grew,
   * before it is moved (default 2000 ms).
   */
  settleMs?: number;
  /** Decoder threads per batch (default: the pipeline's choice, one per core for 8+ files). */
  workers?: number;
  /** How often missing read-only sources are checked for (default 5000 ms); chokidar also waits for them. */
  sourceCheckMs?: number;
  /** chokidar backend (default `auto`; `polling` for network file systems). */
  backend?: 'auto' | 'native' | 'native-recursive' | 'polling';
}

/** For `/healthz`. */
export interface WatcherStatus {
  /** The inbox and the read-only sources that are present. */
  watching: string[];
  /** Read-only sources that are not there (yet): a watch not plugged in. */
  waitingFor: string[];
  /** Files seen and not yet done with (queued, being imported, or settling). */
  pending: number;
  /** ISO time the last batch finished, or null. */
  lastImportAt: string | null;
  /** Runs imported since start. */
  imported: number;
  /** Files that were duplicates of stored runs since start. */
  duplicates: number;
  /** Files skipped (not a run, not an activity) since start. */
  skipped: number;
  /** Files that could not be imported since start. */
  failed: number;
}

type Origin = { kind: 'inbox' } | { kind: 'source'; root: string };

interface Seen {
  size: number;
  mtimeMs: number;
}

const sig = (s: Seen) => `${s.size}:${s.mtimeMs}`;
const same = (a: Seen, b: Seen) => a.size === b.size && a.mtimeMs === b.mtimeMs;
const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Settings key of the (path → size:mtime) memo of read-only source files already looked at. */
export const SOURCE_MEMO_KEY = 'watch.sourceMemo';

async function statOrNull(p: string): Promise<Stats | null> {
  try {
    return await fs.stat(p);
  } catch {
    return null;
  }
}

const isInside = (p: string, dir: string) => p === dir || p.startsWith(dir + path.sep);

/**
 * Watches the inbox and the read-only sources and imports what appears there (DESIGN §5, §8).
 *
 * - Inbox: created with `processed/` and `failed/` when missing. Files present at start are
 *   imported; new ones once their size has settled (`stabilityMs`). A file that grew while it
 *   was read, or that failed or gave a partial run while still recently modified, is imported
 *   again when it stops changing (`settleMs`) rather than moved. Imported and duplicate files,
 *   and FIT files skipped as not a run or not an activity, move to `processed/`; files that
 *   cannot be imported (broken, not FIT, GPX/TCX) move to `failed/` with `<name>.error.txt`
 *   saying what is wrong and what to do. A zip with some bad members goes to `processed/` with
 *   an `.error.txt` listing them; a zip with nothing importable goes to `failed/`. Subfolders keep
 *   their relative path; a taken name gets `-1`, `-2`… Nothing is ever overwritten or deleted.
 * - Other files (notes, pictures: names that are not .fit, .fit.gz, .zip, .gpx, .tcx) are left
 *   where they are, logged once. Dotfiles, `processed/`, `failed/` and copy-tool temp files
 *   (`.part`, `.crdownload`, `.tmp`, `~`…) are ignored.
 * - Read-only sources: imported in place, never moved or written to. A missing one (watch not
 *   plugged in) is waited for. A (path, size, mtime) memo, kept in the settings table, skips
 *   files already looked at, so mounting the watch again reads only new files.
 * - Events are collected for `debounceMs` and imported in batches of `batchSize` through
 *   `importPaths` (worker threads for 8+ files), one batch at a time.
 *
 * A bad file never stops the others; an unexpected error in a batch is logged, the batch's files
 * are retried one by one, and a file that still throws goes to `failed/` with the error.
 */
export class InboxWatcher {
  readonly inbox: string;
  readonly sources: readonly string[];
  readonly #opts: WatcherOptions;
  readonly #log: Logger;
  readonly #now: () => Date;
  readonly #processedDir: string;
  readonly #failedDir: string;
  readonly #stabilityMs: number;
  readonly #debounceMs: number;
  readonly #batchSize: number;
  readonly #settleMs: number;

  #watcher: FSWatcher | null = null;
  readonly #pending = new Map<string, Origin>();
  #inHand = 0;
  readonly #settling = new Map<string, NodeJS.Timeout>();
  readonly #deferred = new Map<string, NodeJS.Timeout>();
  #debounce: NodeJS.Timeout | null = null;
  #firstPendingAt = 0;
  #draining: Promise<void> | null = null;
  #closing = false;
  #sourceCheck: NodeJS.Timeout | null = null;
  readonly #present = new Map<string, boolean>();
  readonly #leftAlone = new Set<string>();
  #memo = new Map<string, string>();
  #memoDirty = false;
  #lastImportAt: string | null = null;
  readonly #counts = { imported: 0, duplicates: 0, skipped: 0, failed: 0 };

  constructor(opts: WatcherOptions) {
    this.#opts = opts;
    this.inbox = path.resolve(opts.inbox);
    this.sources = (opts.sources ?? []).map((s) => path.resolve(s));
    this.#log = (opts.logger ?? silentLogger).child({ part: 'watch' });
    this.#now = opts.now ?? (() => new Date());
    this.#processedDir = path.join(this.inbox, PROCESSED_DIR);
    this.#failedDir = path.join(this.inbox, FAILED_DIR);
    this.#stabilityMs = opts.stabilityMs ?? 300;
    this.#debounceMs = opts.debounceMs ?? 200;
    this.#batchSize = Math.max(1, opts.batchSize ?? 100);
    this.#settleMs = opts.settleMs ?? 2000;
  }

  /**
   * Creates the inbox folders, starts watching, and resolves once the initial scan is done (the
   * files found are queued; use {@link whenIdle} to wait for their import).
   */
  async start(): Promise<void> {
    if (this.#watcher) throw new Error('InboxWatcher: already started');
    for (const dir of [this.inbox, this.#processedDir, this.#failedDir]) {
      await fs.mkdir(dir, { recursive: true });
    }
    this.#loadMemo();
    for (const s of this.sources)
      this.#present.set(s, (await statOrNull(s))?.isDirectory() === true);
    const missing = this.sources.filter((s) => !this.#present.get(s));
    if (missing.length > 0) this.#log.info('waiting for read-only folders', { missing });

    const watcher = watch([this.inbox, ...this.sources], {
      ignored: (p: string) => this.#ignored(p),
      awaitWriteFinish: {
        stabilityThreshold: this.#stabilityMs,
        pollInterval: Math.max(25, Math.min(100, Math.round(this.#stabilityMs / 3))),
      },
      alwaysStat: true,
      ignorePermissionErrors: true,
      ...(this.#opts.backend ? { backend: this.#opts.backend } : {}),
    });
    this.#watcher = watcher;
    watcher.on('add', (p, stats) => this.#onFile(p, stats));
    watcher.on('change', (p, stats) => this.#onFile(p, stats));
    watcher.on('addDir', (p) => this.#onDir(p));
    watcher.on('unlinkDir', (p) => this.#onDir(p));
    watcher.on('error', (e) => this.#log.warn('watch error', { error: errText(e) }));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

    const checkMs = this.#opts.sourceCheckMs ?? 5000;
    if (this.sources.length > 0) {
      this.#sourceCheck = setInterval(() => void this.#checkSources(), checkMs);
      this.#sourceCheck.unref();
    }
    this.#log.info('watching', { inbox: this.inbox, sources: this.sources });
  }

  /** What the watcher is doing, for `/healthz`. */
  status(): WatcherStatus {
    const present = this.sources.filter((s) => this.#present.get(s));
    return {
      watching: [this.inbox, ...present],
      waitingFor: this.sources.filter((s) => !this.#present.get(s)),
      pending: this.#pending.size + this.#inHand + this.#settling.size + this.#deferred.size,
      lastImportAt: this.#lastImportAt,
      ...this.#counts,
    };
  }

  /** Resolves once nothing is queued, being imported or settling (polls every 20 ms). */
  async whenIdle(): Promise<void> {
    while (
      this.#pending.size > 0 ||
      this.#inHand > 0 ||
      this.#settling.size > 0 ||
      this.#deferred.size > 0 ||
      this.#debounce !== null ||
      this.#draining !== null
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * Stops watching: no new batch starts; the batch in hand is finished (imported, moved, reported)
   * first. Files still queued stay where they are and are picked up at the next start.
   */
  async close(): Promise<void> {
    if (this.#closing) {
      await this.#draining;
      return;
    }
    this.#closing = true;
    if (this.#debounce) clearTimeout(this.#debounce);
    this.#debounce = null;
    if (this.#sourceCheck) clearInterval(this.#sourceCheck);
    for (const t of [...this.#settling.values(), ...this.#deferred.values()]) clearTimeout(t);
    this.#settling.clear();
    this.#deferred.clear();
    try {
      await this.#watcher?.close();
    } catch (e) {
      this.#log.warn('closing the file watcher failed', { error: errText(e) });
    }
    await this.#draining;
    this.#pending.clear();
    this.#saveMemo();
    this.#log.info('stopped watching');
  }

  // ---- events -------------------------------------------------------------------------------

  #rootOf(abs: string): Origin | null {
    if (isInside(abs, this.inbox)) return { kind: 'inbox' };
    for (const root of this.sources) if (isInside(abs, root)) return { kind: 'source', root };
    return null;
  }

  #rootPath(o: Origin): string {
    return o.kind === 'inbox' ? this.inbox : o.root;
  }

  #ignored(p: string): boolean {
    const abs = path.resolve(p);
    if (isInside(abs, this.#processedDir) || isInside(abs, this.#failedDir)) return true;
    const origin = this.#rootOf(abs);
    if (!origin) return false;
    const rel = path.relative(this.#rootPath(origin), abs);
    if (rel === '') return false;
    const parts = rel.split(path.sep);
    if (parts.some((s) => s.startsWith('.'))) return true;
    return TEMP_NAME.test(parts.at(-1) ?? '');
  }

  #onFile(p: string, stats: Stats | undefined): void {
    if (this.#closing) return;
    const abs = path.resolve(p);
    const origin = this.#rootOf(abs);
    if (!origin || this.#ignored(abs)) return;
    if (!ACTIVITY_NAME.test(path.basename(abs))) {
      if (!this.#leftAlone.has(abs)) {
        this.#leftAlone.add(abs);
        this.#log.info('not an activity file (.fit, .fit.gz, .zip); left where it is', {
          file: abs,
        });
      }
      return;
    }
    if (origin.kind === 'source' && stats && this.#memo.get(abs) === sig(stats)) return;
    // A settling file that changed is being written again: import it anew once it settles.
    const settle = this.#settling.get(abs);
    if (settle) {
      clearTimeout(settle);
      this.#settling.delete(abs);
      this.#log.debug('file grew after it was read; importing it again', { file: abs });
    }
    this.#enqueue(abs, origin);
  }

  #onDir(p: string): void {
    const abs = path.resolve(p);
    if (this.sources.includes(abs)) void this.#checkSources();
  }

  /** Notices sources that appeared (scans them) or went away. */
  async #checkSources(): Promise<void> {
    for (const s of this.sources) {
      if (this.#closing) return;
      const now = (await statOrNull(s))?.isDirectory() === true;
      const before = this.#present.get(s) === true;
      this.#present.set(s, now);
      if (now && !before) {
        this.#log.info('read-only folder appeared', { folder: s });
        await this.#scan(s, { kind: 'source', root: s });
      } else if (!now && before) {
        this.#log.info('read-only folder went away', { folder: s });
      }
    }
  }

  /** Queues the unseen activity files under a source (a safety net beside chokidar's events). */
  async #scan(dir: string, origin: Origin): Promise<void> {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (e) {
      this.#log.warn('cannot read folder', { folder: dir, error: errText(e) });
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (this.#ignored(full)) continue;
      if (e.isDirectory()) await this.#scan(full, origin);
      else if (e.isFile() && ACTIVITY_NAME.test(e.name)) {
        const st = await statOrNull(full);
        if (st && this.#memo.get(full) !== sig(st) && !this.#pending.has(full))
          this.#enqueue(full, origin);
      }
    }
  }

  #enqueue(abs: string, origin: Origin, delayMs = 0): void {
    if (this.#closing) return;
    if (delayMs > 0) {
      clearTimeout(this.#deferred.get(abs));
      const t = setTimeout(() => {
        this.#deferred.delete(abs);
        this.#enqueue(abs, origin);
      }, delayMs);
      this.#deferred.set(abs, t);
      return;
    }
    if (this.#pending.size === 0) this.#firstPendingAt = Date.now();
    this.#pending.set(abs, origin);
    if (this.#draining) return; // the running drain picks it up
    if (this.#debounce) clearTimeout(this.#debounce);
    const waited = Date.now() - this.#firstPendingAt;
    const delay = Math.max(0, Math.min(this.#debounceMs, this.#debounceMs * 5 - waited));
    this.#debounce = setTimeout(() => {
      this.#debounce = null;
      this.#startDrain();
    }, delay);
  }

  #startDrain(): void {
    if (this.#draining || this.#closing) return;
    this.#draining = this.#drain().finally(() => {
      this.#draining = null;
      // Something arrived between the last batch and the end of the loop.
      if (this.#pending.size > 0 && !this.#closing) this.#startDrain();
    });
  }

  async #drain(): Promise<void> {
    while (!this.#closing && this.#pending.size > 0) {
      const batch: [string, Origin][] = [];
      for (const entry of this.#pending) {
        batch.push(entry);
        this.#pending.delete(entry[0]);
        if (batch.length >= this.#batchSize) break;
      }
      this.#inHand = batch.length;
      try {
        await this.#importBatch(batch);
      } catch (e) {
        this.#log.error('unexpected error in an import batch; carrying on', { error: errText(e) });
      } finally {
        this.#inHand = 0;
      }
      await yieldToLoop();
    }
  }

  // ---- importing ----------------------------------------------------------------------------

  async #importBatch(batch: [string, Origin][]): Promise<void> {
    const ready: { file: string; origin: Origin; before: Stats }[] = [];
    for (const [file, origin] of batch) {
      const before = await statOrNull(file);
      if (!before || !before.isFile()) continue; // moved or removed meanwhile
      if (origin.kind === 'source' && this.#memo.get(file) === sig(before)) continue;
      const age = Date.now() - before.mtimeMs;
      if (age < this.#stabilityMs) {
        // Written a moment ago (e.g. found by the initial scan while being copied): wait.
        this.#enqueue(file, origin, this.#stabilityMs - age + 50);
        continue;
      }
      ready.push({ file, origin, before });
    }
    if (ready.length === 0) return;

    const { report, results } = await this.#import(ready.map((r) => r.file));
    for (const r of ready) {
      try {
        await this.#dispose(r.file, r.origin, r.before, results.get(r.file) ?? []);
      } catch (e) {
        this.#log.error('could not file away an imported file', {
          file: r.file,
          error: errText(e),
        });
      }
    }
    this.#lastImportAt = this.#now().toISOString();
    this.#saveMemo();
    try {
      await this.#opts.onImported?.(report);
    } catch (e) {
      this.#log.error('onImported failed', { error: errText(e) });
    }
  }

  /** importPaths on the batch; on an unexpected throw, file by file, a throwing file failing. */
  async #import(
    files: string[],
  ): Promise<{ report: ImportReport; results: Map<string, [string, FileResult][]> }> {
    const results = new Map<string, [string, FileResult][]>(files.map((f) => [f, []]));
    const topOf = (label: string) => {
      const bang = label.indexOf('!');
      return bang === -1 ? label : label.slice(0, bang);
    };
    const run = (paths: string[]) =>
      importPaths(paths, {
        store: this.#opts.store,
        ctx: { timezone: this.#opts.timezone },
        now: () => this.#now().toISOString(),
        ...(this.#opts.workers === undefined ? {} : { workers: this.#opts.workers }),
        onFile: (label, result) => results.get(topOf(label))?.push([label, result]),
      });
    try {
      return { report: await run(files), results };
    } catch (e) {
      this.#log.error('import batch failed; retrying its files one by one', { error: errText(e) });
    }
    const report: ImportReport = { imported: [], duplicates: [], skipped: [], failed: [] };
    for (const file of files) {
      results.set(file, []);
      try {
        const one = await run([file]);
        report.imported.push(...one.imported);
        report.duplicates.push(...one.duplicates);
        report.skipped.push(...one.skipped);
        report.failed.push(...one.failed);
      } catch (e) {
        const error = `unexpected error while importing: ${errText(e)}`;
        results.set(file, [[file, { kind: 'failed', error }]]);
        report.failed.push({ file, error });
      }
    }
    return { report, results };
  }

  async #dispose(
    file: string,
    origin: Origin,
    before: Stats,
    outcome: [string, FileResult][],
  ): Promise<void> {
    const after = await statOrNull(file);
    if (!after) return;
    if (!same(before, after)) {
      // Still being written: what was read is not the whole file. Import it again once it settles.
      this.#log.debug('file changed while it was read; importing it again', { file });
      this.#enqueue(file, origin, this.#stabilityMs);
      return;
    }
    const rel = path.relative(this.#rootPath(origin), file);
    const bad = outcome.filter(([label, r]) => r.kind === 'failed' || refused(label, r));
    const good = outcome.filter((o) => !bad.includes(o));
    const partial = outcome.some(([, r]) => r.kind === 'imported' && r.runs.some((x) => x.partial));
    for (const [label, r] of outcome) this.#logResult(label, r);

    if (origin.kind === 'source') {
      this.#memo.set(file, sig(after));
      this.#memoDirty = true;
      return;
    }

    const recent = Date.now() - after.mtimeMs < this.#settleMs;
    if ((bad.length > 0 || partial) && recent && this.#closing) {
      this.#log.debug('left in the inbox until the next start (may still be copied)', { file });
      return;
    }
    if ((bad.length > 0 || partial) && recent) {
      // Maybe a copy that paused: look again before deciding.
      const t = setTimeout(() => {
        this.#settling.delete(file);
        void this.#settled(file, origin, after, rel, bad, good);
      }, this.#settleMs);
      this.#settling.set(file, t);
      return;
    }
    await this.#fileAway(file, rel, bad, good);
  }

  async #settled(
    file: string,
    origin: Origin,
    seen: Stats,
    rel: string,
    bad: [string, FileResult][],
    good: [string, FileResult][],
  ): Promise<void> {
    try {
      const now = await statOrNull(file);
      if (!now) return;
      if (!same(seen, now)) {
        this.#log.debug('file grew after it was read; importing it again', { file });
        this.#enqueue(file, origin);
        return;
      }
      await this.#fileAway(file, rel, bad, good);
    } catch (e) {
      this.#log.error('could not file away a file', { file, error: errText(e) });
    }
  }

  /** Moves an inbox file to processed/ or failed/, with an `.error.txt` naming what was bad. */
  async #fileAway(
    file: string,
    rel: string,
    bad: [string, FileResult][],
    good: [string, FileResult][],
  ): Promise<void> {
    const allBad = good.length === 0;
    const problems =
      bad.length > 0
        ? bad.map(([label, r]) => {
            const what = r.kind === 'failed' ? r.error : r.kind === 'skipped' ? r.reason : '';
            return label === file ? what : `${path.relative(this.inbox, label)}: ${what}`;
          })
        : allBad
          ? ['nothing to import: the archive holds no FIT files']
          : [];
    const destDir = path.join(allBad ? this.#failedDir : this.#processedDir, path.dirname(rel));
    const moved = await moveNoClobber(file, destDir, path.basename(rel));
    if (problems.length > 0) {
      const note = errorNote({
        file: rel,
        time: this.#now(),
        problems,
        inbox: this.inbox,
        movedTo: moved,
      });
      await fs.writeFile(moved + ERROR_SUFFIX, note, { flag: 'wx' });
    }
    const to = path.relative(this.inbox, moved);
    if (allBad) this.#log.warn('moved to failed/', { file: rel, to, problem: problems.join('; ') });
    else this.#log.debug('moved to processed/', { file: rel, to });
  }

  #logResult(label: string, r: FileResult): void {
    switch (r.kind) {
      case 'imported':
        this.#counts.imported += r.runs.length;
        this.#log.info('imported', { file: label, runs: r.runs.map((x) => x.id) });
        break;
      case 'duplicate':
        this.#counts.duplicates++;
        this.#log.info('duplicate', { file: label, of: r.of });
        break;
      case 'skipped':
        if (refused(label, r)) {
          this.#counts.failed++;
          this.#log.warn('failed', { file: label, error: r.reason });
        } else {
          this.#counts.skipped++;
          this.#log.info('skipped', { file: label, reason: r.reason });
        }
        break;
      case 'failed':
        this.#counts.failed++;
        this.#log.warn('failed', { file: label, error: r.error });
    }
  }

  // ---- the memo of read-only source files ---------------------------------------------------

  #loadMemo(): void {
    try {
      const saved = this.#opts.store.settings.get<Record<string, string>>(SOURCE_MEMO_KEY);
      this.#memo = new Map(Object.entries(saved ?? {}));
    } catch (e) {
      this.#log.warn('could not read the memo of seen files; reading them again', {
        error: errText(e),
      });
    }
  }

  #saveMemo(): void {
    if (!this.#memoDirty) return;
    try {
      const now = this.#now().toISOString();
      this.#opts.store.settings.set(SOURCE_MEMO_KEY, Object.fromEntries(this.#memo), now);
      this.#memoDirty = false;
    } catch (e) {
      this.#log.warn('could not save the memo of seen files', { error: errText(e) });
    }
  }
}

/** A GPX/TCX file: recognised but not read; for the user it is a failure to act on. */
function refused(label: string, r: FileResult): boolean {
  return r.kind === 'skipped' && OTHER_FORMAT_NAME.test(label);
}

/** Creates an {@link InboxWatcher} and starts it (resolves after the initial scan). */
export async function startWatcher(opts: WatcherOptions): Promise<InboxWatcher> {
  const w = new InboxWatcher(opts);
  await w.start();
  return w;
}

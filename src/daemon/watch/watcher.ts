import fsSync, { type Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FSWatcher } from 'chokidar';
import { silentLogger, type Logger } from '../../log.ts';
import { formatsText, isActivityName } from '../../../importers/names.ts';
import { FAILED_DIR, PROCESSED_DIR, TEMP_NAME } from './inbox.ts';
import { errText, isInside, rootPath, statOrNull, type Origin } from './files.ts';
import { ReadJournal } from './journal.ts';
import { SourceMemo } from './memo.ts';
import {
  realClock,
  type WatchClock,
  type WatchTimer,
  type WatcherOptions,
  type WatcherStatus,
} from './options.ts';
import { ImportQueue } from './queue.ts';
import { watchTree, type TreeWatch } from './tree.ts';

export { SOURCE_MEMO_KEY } from './memo.ts';
export type { WatchClock, WatcherOptions, WatcherStatus } from './options.ts';

/**
 * Watches the inbox and the read-only sources and imports what appears there (DESIGN §5, §8).
 *
 * - Inbox: created with `processed/` and `failed/` when missing. Files present at start are
 *   imported; new ones once they have been seen unchanged for `stabilityMs`. A file that grew while it
 *   was read, or that failed or gave a partial run while still recently modified, is imported
 *   again when it stops changing (`settleMs`) rather than moved. Imported and duplicate files,
 *   and files skipped as not a run, not an activity or a route, move to `processed/`; files that
 *   cannot be imported (broken, not what its name says) move to `failed/` with `<name>.error.txt`
 *   saying what is wrong and what to do. A zip with some bad members goes to `processed/` with
 *   an `.error.txt` listing them; a zip with nothing importable goes to `failed/`. Subfolders keep
 *   their relative path; a taken name gets `-1`, `-2`… Nothing is ever overwritten or deleted.
 * - Other files (notes, pictures: names no importer claims, importers/names.ts, and not .zip) are left
 *   where they are, logged once. Dotfiles, `processed/`, `failed/` and copy-tool temp files
 *   (`.part`, `.crdownload`, `.tmp`, `~`…) are ignored.
 * - Linked folders in the inbox (a symbolic link to a folder dropped into it) are not the inbox's
 *   own: they are read as read-only sources, and nothing in them is moved (issue 21 item 3).
 * - Read-only sources: imported in place, never moved or written to. A missing one (watch not
 *   plugged in) is waited for. A (path, size, mtime) memo, kept in the settings table, skips
 *   files already looked at, so mounting the watch again reads only new files.
 * - Events are collected for `debounceMs` and imported in batches of `batchSize` through
 *   `importPaths` (worker threads for 8+ files), one batch at a time.
 * - Every wait is measured on `opts.clock` (default: the real one), so tests move time by hand
 *   instead of sleeping against real thresholds; the watches only report events.
 *
 * A file filed away is followed for `followMs`: when its size or mtime changes (a copy that
 * paused for longer than the waits above went on writing into it), it is moved back to where it
 * was and read again; a whole copy then replaces the partial run stored from its first part, and
 * a copy that completes in `failed/` is imported after all (issue 21 item 4).
 *
 * When the database cannot take files (a full disk, a read-only or damaged database), the files
 * stay where they are, the problem is logged once with what to do, and they are tried again
 * every `retryMs`: none is moved to `failed/` for it (issue 21 items 5, 9).
 *
 * A bad file never stops the others; an unexpected error in a batch is logged, the batch's files
 * are retried one by one, and a file that still throws goes to `failed/` with the error.
 *
 * Here: the events (the inbox's own watch in `tree.ts`, chokidar for the read-only sources), the
 * read-only sources coming and going, start and stop. The batches and filing files away are in
 * `queue.ts` (with `stability.ts`) and `filing.ts`; the memo in `memo.ts`.
 */
export class InboxWatcher {
  readonly inbox: string;
  readonly sources: readonly string[];
  readonly #opts: WatcherOptions;
  readonly #log: Logger;
  readonly #processedDir: string;
  readonly #failedDir: string;
  readonly #stabilityMs: number;
  readonly #memo: SourceMemo;
  readonly #journal: ReadJournal;
  readonly #queue: ImportQueue;
  readonly #clock: WatchClock;

  /** The inbox's own watch (tree.ts). */
  #inboxWatch: TreeWatch | null = null;
  /** The read-only sources' watch (chokidar), when there are sources. */
  #watcher: FSWatcher | null = null;
  #closing = false;
  #ready = false;
  #sourceCheck: WatchTimer | null = null;
  readonly #present = new Map<string, boolean>();
  readonly #leftAlone = new Set<string>();

  constructor(opts: WatcherOptions) {
    this.#opts = opts;
    this.inbox = path.resolve(opts.inbox);
    this.sources = (opts.sources ?? []).map((s) => path.resolve(s));
    this.#log = (opts.logger ?? silentLogger).child({ part: 'watch' });
    const now = opts.now ?? (() => new Date());
    this.#processedDir = path.join(this.inbox, PROCESSED_DIR);
    this.#failedDir = path.join(this.inbox, FAILED_DIR);
    this.#stabilityMs = opts.stabilityMs ?? 300;
    this.#clock = opts.clock ?? realClock;
    this.#memo = new SourceMemo(opts.store, this.#log, now);
    this.#journal = new ReadJournal(opts.store, this.#log, now);
    this.#queue = new ImportQueue({
      opts,
      memo: this.#memo,
      journal: this.#journal,
      inbox: this.inbox,
      processedDir: this.#processedDir,
      failedDir: this.#failedDir,
      now,
      log: this.#log,
      clock: this.#clock,
      stabilityMs: this.#stabilityMs,
      debounceMs: opts.debounceMs ?? 200,
      batchSize: Math.max(1, opts.batchSize ?? 100),
      settleMs: opts.settleMs ?? 2000,
      retryMs: opts.retryMs ?? 30_000,
      followMs: opts.followMs ?? 60_000,
    });
  }

  /**
   * Creates the inbox folders, starts watching, and resolves once the initial scan is done (the
   * files found are queued; use {@link whenIdle} to wait for their import).
   */
  async start(): Promise<void> {
    if (this.#inboxWatch) throw new Error('InboxWatcher: already started');
    this.#makeInbox();
    this.#memo.load();
    this.#journal.load();
    this.#inboxWatch = watchTree(this.inbox, {
      ignored: (p) => this.#ignored(p),
      onFile: (p, st, link) => this.#onFile(p, st, link),
      onRootGone: () => this.#remakeInbox(),
      log: this.#log,
    });
    if (this.sources.length > 0) await this.#watchSources();
    this.#ready = true;

    if (this.sources.length > 0) this.#scheduleSourceCheck();
    this.#log.info('watching', { inbox: this.inbox, sources: this.sources });
  }

  /** The inbox with its `processed/` and `failed/`, made where missing. */
  #makeInbox(): void {
    for (const dir of [this.inbox, this.#processedDir, this.#failedDir]) {
      fsSync.mkdirSync(dir, { recursive: true });
    }
  }

  /**
   * The inbox folder was removed or moved away while kneecheck runs: made again as at start (a
   * runner who drops files into a folder of that name finds them imported), or, when it cannot
   * be, an error that says so.
   */
  #remakeInbox(): void {
    try {
      this.#makeInbox();
      this.#log.warn('inbox folder removed or moved away; watching it anew at its path', {
        inbox: this.inbox,
      });
    } catch (e) {
      this.#log.error('inbox folder gone and cannot be made again; restart kneecheck once it can', {
        inbox: this.inbox,
        error: errText(e),
      });
    }
  }

  /**
   * The read-only sources are watched with chokidar: they come and go (a watch plugged in and
   * out), hold few files, and are never written to, so its general watching is worth its cost
   * there. The inbox, where every file moves away once read, has its own lean watch (tree.ts).
   */
  async #watchSources(): Promise<void> {
    for (const s of this.sources) this.#present.set(s, statOrNull(s)?.isDirectory() === true);
    const missing = this.sources.filter((s) => !this.#present.get(s));
    if (missing.length > 0) this.#log.info('waiting for read-only folders', { missing });
    const { watch } = await import('chokidar');
    const watcher = watch([...this.sources], {
      ignored: (p: string) => this.#ignored(p),
      // No awaitWriteFinish: the queue waits for a file to stop changing, on its clock.
      alwaysStat: true,
      // No atomic-save folding (it holds every unlink for 100 ms on a timer); an add and a
      // change are handled alike here, and dotfiles are ignored by #ignored.
      atomic: false,
      ignorePermissionErrors: true,
    });
    this.#watcher = watcher;
    watcher.on('add', (p, stats) => this.#onFile(p, stats));
    watcher.on('change', (p, stats) => this.#onFile(p, stats));
    watcher.on('addDir', (p) => this.#onDir(p));
    watcher.on('unlinkDir', (p) => this.#onDir(p));
    watcher.on('error', (e) => this.#log.warn('watch error', { error: errText(e) }));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  }

  /** What the watcher is doing, for `/healthz`. */
  status(): WatcherStatus {
    const present = this.sources.filter((s) => this.#present.get(s));
    return {
      watching: [this.inbox, ...present],
      waitingFor: this.sources.filter((s) => !this.#present.get(s)),
      pending: this.#queue.size,
      lastImportAt: this.#queue.lastImportAt,
      ...this.#queue.counts,
    };
  }

  /** Looks for read-only sources coming and going every `sourceCheckMs` (default 5000 ms). */
  #scheduleSourceCheck(): void {
    const t = this.#clock.setTimeout(() => {
      void this.#checkSources().finally(() => {
        if (!this.#closing) this.#scheduleSourceCheck();
      });
    }, this.#opts.sourceCheckMs ?? 5000);
    if ('unref' in t && typeof t.unref === 'function') t.unref();
    this.#sourceCheck = t;
  }

  /** Something is queued, being imported or settling, or a batch is about to start. */
  get busy(): boolean {
    return this.#queue.busy;
  }

  /** A batch is being imported right now (real work, not a wait). */
  get importing(): boolean {
    return this.#queue.draining !== null;
  }

  /** Resolves once nothing is queued, being imported or settling (polls every 20 ms). */
  async whenIdle(): Promise<void> {
    while (this.#queue.busy) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * Stops watching: no new batch starts; the batch in hand is finished (imported, moved, reported)
   * first. Files still queued stay where they are and are picked up at the next start.
   */
  async close(): Promise<void> {
    if (this.#closing) {
      await this.#queue.draining;
      return;
    }
    this.#closing = true;
    this.#queue.stop();
    if (this.#sourceCheck) this.#clock.clearTimeout(this.#sourceCheck);
    this.#inboxWatch?.close();
    try {
      await this.#watcher?.close();
    } catch (e) {
      this.#log.warn('closing the file watcher failed', { error: errText(e) });
    }
    await this.#queue.finish();
    this.#memo.save();
    this.#log.info('stopped watching');
  }

  // ---- events -------------------------------------------------------------------------------

  #rootOf(abs: string): Origin | null {
    if (isInside(abs, this.inbox)) return { kind: 'inbox' };
    for (const root of this.sources) if (isInside(abs, root)) return { kind: 'source', root };
    return null;
  }

  #ignored(p: string): boolean {
    const abs = path.resolve(p);
    if (isInside(abs, this.#processedDir) || isInside(abs, this.#failedDir)) return true;
    const origin = this.#rootOf(abs);
    if (!origin) return false;
    const rel = path.relative(rootPath(origin, this.inbox), abs);
    if (rel === '') return false;
    const parts = rel.split(path.sep);
    if (parts.some((s) => s.startsWith('.'))) return true;
    return TEMP_NAME.test(parts.at(-1) ?? '');
  }

  /** `link`: the linked folder of the inbox the file was found through (read-only), or null. */
  #onFile(p: string, stats: Stats | undefined, link: string | null = null): void {
    if (this.#closing) return;
    const abs = path.resolve(p);
    const origin: Origin | null = link ? { kind: 'source', root: link } : this.#rootOf(abs);
    if (!origin || this.#ignored(abs)) return;
    if (!isActivityName(path.basename(abs))) {
      if (!this.#leftAlone.has(abs)) {
        this.#leftAlone.add(abs);
        this.#log.info(
          `not an activity file (${formatsText('or')}, gzipped or not, or .zip); left where it is`,
          {
            file: abs,
          },
        );
      }
      return;
    }
    if (origin.kind === 'source' && stats && this.#memo.has(abs, stats)) return;
    if (!this.#ready) this.#queue.markInitial(abs);
    // A settling file that changed is being written again: import it anew once it settles.
    this.#queue.unsettle(abs);
    this.#queue.seen(abs, origin, stats);
  }

  #onDir(p: string): void {
    const abs = path.resolve(p);
    if (this.sources.includes(abs)) void this.#checkSources();
  }

  /** Notices sources that appeared (scans them) or went away. */
  async #checkSources(): Promise<void> {
    for (const s of this.sources) {
      if (this.#closing) return;
      const now = statOrNull(s)?.isDirectory() === true;
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
      else if (e.isFile() && isActivityName(e.name)) {
        const st = statOrNull(full);
        if (st && !this.#memo.has(full, st) && !this.#queue.isQueued(full))
          this.#queue.enqueue(full, origin);
      }
    }
  }
}

/** Creates an {@link InboxWatcher} and starts it (resolves after the initial scan). */
export async function startWatcher(opts: WatcherOptions): Promise<InboxWatcher> {
  const w = new InboxWatcher(opts);
  await w.start();
  return w;
}

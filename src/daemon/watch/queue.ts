import fsSync, { type Stats } from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { errText, rootPath, same, statOrNull, throughLink, type Origin } from './files.ts';
import {
  fileAway,
  fileNotRegular,
  importFiles,
  logResult,
  refused,
  type Counts,
  type FilingContext,
  type Outcome,
} from './filing.ts';
import { DecodePool, defaultThreads } from '../../import/pool.ts';
import { FiledFollow, type Filed } from './filed.ts';
import { HeldBack } from './held.ts';
import { moveNoClobber } from './inbox.ts';
import { fileAwayStopped, type ReadJournal } from './journal.ts';
import type { SourceMemo } from './memo.ts';
import { FileStability } from './stability.ts';
import type { WatchClock, WatchTimer, WatcherOptions } from './options.ts';

export interface QueueConfig extends FilingContext {
  opts: WatcherOptions;
  memo: SourceMemo;
  /** Files being read, written down so a file that stops kneecheck is not read at every start. */
  journal: ReadJournal;
  clock: WatchClock;
  stabilityMs: number;
  debounceMs: number;
  batchSize: number;
  settleMs: number;
  /** A file filed away is followed this long (ms) for a copy that goes on writing into it. */
  followMs: number;
  /** A file held back by a database or disk problem (full, damaged…) is tried again after this long (ms). */
  retryMs: number;
}

/** The decoder threads stop after this long without a file to decode (their memory goes back). */
const POOL_IDLE_MS = 10_000;

/** A regular file about to be read, with its stat then. */
interface Ready {
  file: string;
  origin: Origin;
  before: Stats;
}

/**
 * The watcher's import queue: files seen are collected for `debounceMs` and imported in batches
 * of `batchSize` through `importPaths`, one batch at a time. A file is read once it has been seen
 * unchanged for `stabilityMs` (stability.ts). Afterwards an inbox file is filed away (or, when it may still be
 * being copied, looked at again after `settleMs`); a read-only source file is noted in the memo.
 * Every wait is on the injected clock (`QueueConfig.clock`), never on the file's mtime against
 * the wall clock, except for files that were there before the watcher started.
 * Every batch decodes on one pool of worker threads kept for the queue's life (its threads start
 * with the first batch that has files to decode and stop in {@link finish}).
 */
export class ImportQueue {
  readonly #c: QueueConfig;
  readonly #pending = new Map<string, Origin>();
  #inHand = 0;
  readonly #settling = new Map<string, WatchTimer>();
  readonly #deferred = new Map<string, WatchTimer>();
  /** Settled files being filed away (outside any batch): the queue is busy until they are. */
  readonly #filing = new Set<Promise<void>>();
  readonly #stability: FileStability;
  /** Files just filed away, followed for a copy that goes on writing into them (filed.ts). */
  readonly #filed: FiledFollow;
  /** Decoder threads shared by every batch; null when `opts.workers` is 0 (decode inline). */
  readonly #pool: DecodePool | null;
  #debounce: WatchTimer | null = null;
  #firstPendingAt = 0;
  #draining: Promise<void> | null = null;
  #closing = false;
  #lastImportAt: string | null = null;
  /** What keeps the database from taking files now, said once (held.ts). */
  readonly #held: HeldBack;
  readonly counts: Counts = { imported: 0, duplicates: 0, skipped: 0, failed: 0 };

  constructor(config: QueueConfig) {
    this.#c = config;
    this.#stability = new FileStability(config.clock, config.stabilityMs, config.settleMs);
    this.#held = new HeldBack(config.log, config.retryMs);
    this.#filed = new FiledFollow(config.clock, config.settleMs, config.followMs, config.log, (f) =>
      this.#readAgain(f),
    );
    const threads = config.opts.workers ?? defaultThreads();
    this.#pool =
      threads > 0
        ? new DecodePool(threads, { timezone: config.opts.timezone }, { idleMs: POOL_IDLE_MS })
        : null;
  }

  /** ISO time the last batch finished, or null. */
  get lastImportAt(): string | null {
    return this.#lastImportAt;
  }

  /** Files seen and not yet done with (queued, being imported, or settling). */
  get size(): number {
    return (
      this.#pending.size +
      this.#inHand +
      this.#settling.size +
      this.#deferred.size +
      this.#filing.size
    );
  }

  /** Something is queued, being imported or settling, or a batch is about to start. */
  get busy(): boolean {
    return (
      this.#pending.size > 0 ||
      this.#inHand > 0 ||
      this.#settling.size > 0 ||
      this.#deferred.size > 0 ||
      this.#filing.size > 0 ||
      this.#debounce !== null ||
      this.#draining !== null
    );
  }

  /** The running drain, or null. */
  get draining(): Promise<void> | null {
    return this.#draining;
  }

  isQueued(abs: string): boolean {
    return this.#pending.has(abs);
  }

  /** Marks a file found before the watcher was ready (its mtime says how old it is). */
  markInitial(abs: string): void {
    this.#stability.markInitial(abs);
  }

  /** A settling file that changed is being written again: it is not filed away after all. */
  unsettle(abs: string): void {
    const settle = this.#settling.get(abs);
    if (settle) {
      this.#c.clock.clearTimeout(settle);
      this.#settling.delete(abs);
      this.#c.log.debug('file grew after it was read; importing it again', { file: abs });
    }
  }

  /** No new batch starts; timers are cleared (the batch in hand goes on: see {@link finish}). */
  stop(): void {
    this.#closing = true;
    const { clock } = this.#c;
    if (this.#debounce) clock.clearTimeout(this.#debounce);
    this.#debounce = null;
    for (const t of [...this.#settling.values(), ...this.#deferred.values()]) clock.clearTimeout(t);
    this.#filed.stop();
    this.#settling.clear();
    this.#deferred.clear();
  }

  /**
   * After {@link stop}: waits for the batch in hand and the files being filed away, then stops
   * the decoder threads; files still queued are dropped.
   */
  async finish(): Promise<void> {
    await this.#draining;
    await Promise.all(this.#filing);
    this.#pending.clear();
    await this.#pool?.close();
  }

  /**
   * A file reported by the watcher with its stat: its wait for being unchanged starts now, so the
   * batch that reads it needs one stat, not a first one only to start the wait. Without a stat
   * of a regular file (a link, a FIFO), queued as usual.
   */
  seen(abs: string, origin: Origin, st: Stats | undefined): void {
    if (this.#closing) return;
    const wait = st?.isFile() ? this.#stability.waitBeforeReading(abs, st) : 0;
    this.enqueue(abs, origin, wait);
  }

  enqueue(abs: string, origin: Origin, delayMs = 0): void {
    if (this.#closing) return;
    const { clock } = this.#c;
    if (delayMs > 0) {
      clock.clearTimeout(this.#deferred.get(abs));
      const t = clock.setTimeout(() => {
        this.#deferred.delete(abs);
        this.enqueue(abs, origin);
      }, delayMs);
      this.#deferred.set(abs, t);
      return;
    }
    if (this.#pending.size === 0) this.#firstPendingAt = clock.now();
    this.#pending.set(abs, origin);
    if (this.#draining) return; // the running drain picks it up
    if (this.#debounce) clock.clearTimeout(this.#debounce);
    const waited = clock.now() - this.#firstPendingAt;
    const { debounceMs } = this.#c;
    const delay = Math.max(0, Math.min(debounceMs, debounceMs * 5 - waited));
    this.#debounce = clock.setTimeout(() => {
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
        if (batch.length >= this.#c.batchSize) break;
      }
      this.#inHand = batch.length;
      try {
        await this.#importBatch(batch);
      } catch (e) {
        this.#c.log.error('unexpected error in an import batch; carrying on', {
          error: errText(e),
        });
      } finally {
        this.#inHand = 0;
      }
      await yieldToLoop();
    }
  }

  // ---- importing ----------------------------------------------------------------------------

  async #importBatch(batch: [string, Origin][]): Promise<void> {
    const { memo } = this.#c;
    const ready: Ready[] = [];
    for (const [file, origin] of batch) {
      const before = statOrNull(file);
      if (!before || before.isDirectory()) {
        this.#stability.forget(file); // moved or removed meanwhile
        continue;
      }
      if (!before.isFile()) {
        await fileNotRegular(this.#c, this.counts, file, origin, before);
        continue;
      }
      if (origin.kind === 'source' && memo.has(file, before)) continue;
      const wait = this.#stability.waitBeforeReading(file, before);
      if (wait > 0) {
        // New, or changed since it was last seen (being copied): look again once it has not
        // changed for stabilityMs.
        this.enqueue(file, origin, wait);
        continue;
      }
      ready.push({ file, origin, before });
    }
    if (ready.length === 0) return;

    // Files being read when kneecheck last stopped (journal.ts): filed away unread, or read alone.
    const { stopped, groups } = this.#c.journal.sort(ready);
    for (const r of stopped) {
      this.#stability.forget(r.file);
      await fileAwayStopped(this.#c, this.counts, r);
    }
    for (const [i, group] of groups.entries()) {
      await this.#importReady(group, i < groups.length - 1);
    }
  }

  /**
   * Imports regular files, then files each away (or notes it in the memo) and reports;
   * `moreInBatch`: another group of the same batch follows (the burst goes on).
   */
  async #importReady(ready: Ready[], moreInBatch = false): Promise<void> {
    const { memo, log, journal } = this.#c;
    const files = ready.map((r) => r.file);
    // Inbox files move away once read: the import's memo of paths (size, mtime -> hash) would
    // only gain rows for paths that are gone. Read-only sources keep it.
    const memoOn = ready.some((r) => r.origin.kind === 'source');
    journal.begin(ready);
    let imported: Awaited<ReturnType<typeof importFiles>>;
    try {
      imported = await importFiles(files, this.#c.opts, this.#c.now, log, this.#pool, memoOn);
    } finally {
      // Results stored (or the batch given up): nothing of it is left half read.
      journal.end(files);
    }
    const { report, results, held } = imported;
    this.#held.note(held);
    // Each destination folder is made once per batch, not once per file.
    const made = new Set<string>();
    for (const r of ready) {
      if (held.has(r.file)) {
        // Not the file's fault: it stays where it is and is read again later.
        this.enqueue(r.file, r.origin, this.#c.retryMs);
        continue;
      }
      try {
        await this.#dispose(r.file, r.origin, r.before, results.get(r.file) ?? [], made);
      } catch (e) {
        log.error('could not file away an imported file', {
          file: r.file,
          error: errText(e),
        });
      }
    }
    this.#lastImportAt = this.#c.now().toISOString();
    memo.save();
    try {
      const more = moreInBatch || this.#pending.size + this.#deferred.size > 0;
      await this.#c.opts.onImported?.(report, { more });
    } catch (e) {
      log.error('onImported failed', { error: errText(e) });
    }
  }

  async #dispose(
    file: string,
    origin: Origin,
    before: Stats,
    outcome: Outcome,
    made?: Set<string>,
  ): Promise<void> {
    const { log, settleMs, clock } = this.#c;
    const after = statOrNull(file);
    if (!after) {
      this.#stability.forget(file);
      return;
    }
    if (!same(before, after)) {
      // Still being written: what was read is not the whole file. Import it again once it settles.
      log.debug('file changed while it was read; importing it again', { file });
      this.enqueue(file, origin, this.#c.stabilityMs);
      return;
    }
    const rel = path.relative(rootPath(origin, this.#c.inbox), file);
    const bad = outcome.filter(([label, r]) => r.kind === 'failed' || refused(label, r));
    const good = outcome.filter((o) => !bad.includes(o));
    const partial = outcome.some(([, r]) => r.kind === 'imported' && r.runs.some((x) => x.partial));
    for (const [label, r] of outcome) logResult(log, this.counts, label, r);

    if (origin.kind === 'source' || throughLink(this.#c.inbox, file)) {
      // A folder of the inbox replaced by a link meanwhile is not the inbox's: nothing is moved.
      this.#c.memo.remember(file, after);
      this.#stability.forget(file);
      return;
    }

    const recent = this.#stability.recentlyChanged(file, after);
    if ((bad.length > 0 || partial) && recent && this.#closing) {
      log.debug('left in the inbox until the next start (may still be copied)', { file });
      return;
    }
    if ((bad.length > 0 || partial) && recent) {
      // Maybe a copy that paused: look again before deciding.
      const t = clock.setTimeout(() => {
        this.#settling.delete(file);
        const filing = this.#settled(file, origin, after, rel, bad, good).finally(() =>
          this.#filing.delete(filing),
        );
        this.#filing.add(filing);
      }, settleMs);
      this.#settling.set(file, t);
      return;
    }
    this.#stability.forget(file);
    await this.#fileAway(file, origin, after, rel, bad, good, made);
  }

  /**
   * Files an inbox file away and follows it (filed.ts); when the disk had no room for its note,
   * it is back in the inbox and tried again after `retryMs`.
   */
  async #fileAway(
    file: string,
    origin: Origin,
    st: Stats,
    rel: string,
    bad: Outcome,
    good: Outcome,
    made?: Set<string>,
  ): Promise<void> {
    const filed = await fileAway(this.#c, file, rel, bad, good, made);
    if (filed === 'held') this.enqueue(file, origin, this.#c.retryMs);
    else if (filed)
      this.#filed.follow({ ...filed, from: file, size: st.size, mtimeMs: st.mtimeMs });
  }

  /**
   * A file filed away that changed since (a copy that paused, then went on): moved back to where
   * it was in the inbox (its note removed: it said what a part of the file was) and read again,
   * as a new file. The store keeps the better record of the run (a whole copy replaces a partial).
   */
  #readAgain(f: Filed): void {
    if (this.#closing) return;
    const back = moveNoClobber(f.moved, path.dirname(f.from), path.basename(f.from));
    if (f.note) fsSync.rmSync(f.note, { force: true });
    this.seen(back, { kind: 'inbox' }, statOrNull(back) ?? undefined);
  }

  async #settled(
    file: string,
    origin: Origin,
    seen: Stats,
    rel: string,
    bad: Outcome,
    good: Outcome,
  ): Promise<void> {
    try {
      const now = statOrNull(file);
      if (!now) return;
      if (!same(seen, now)) {
        this.#c.log.debug('file grew after it was read; importing it again', { file });
        this.enqueue(file, origin);
        return;
      }
      this.#stability.forget(file);
      await this.#fileAway(file, origin, now, rel, bad, good);
    } catch (e) {
      this.#c.log.error('could not file away a file', { file, error: errText(e) });
    }
  }
}

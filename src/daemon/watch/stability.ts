import type { Stats } from 'node:fs';
import { same } from './files.ts';
import type { WatchClock } from './options.ts';

/** What was seen of a file: its size and mtime, and since when (clock ms) it has had them. */
interface Observed {
  size: number;
  mtimeMs: number;
  since: number;
}

/**
 * When a file has stopped changing: remembers each file's size and mtime with the clock time it
 * was first seen so. Every wait is on the injected clock, never on the file's mtime against the
 * wall clock, except for files that were there before the watcher started (their mtime is all
 * there is to go by).
 */
export class FileStability {
  readonly #clock: WatchClock;
  readonly #stabilityMs: number;
  readonly #settleMs: number;
  readonly #observed = new Map<string, Observed>();
  /** Files found by the initial scan: they may have been written long before we looked. */
  readonly #initial = new Set<string>();

  /**
   * @param stabilityMs how long (ms) a file must be seen unchanged before it is read
   * @param settleMs how long (ms) after its last change a file may still be being copied
   */
  constructor(clock: WatchClock, stabilityMs: number, settleMs: number) {
    this.#clock = clock;
    this.#stabilityMs = stabilityMs;
    this.#settleMs = settleMs;
  }

  /** Marks a file found before the watcher was ready (its mtime says how old it is). */
  markInitial(file: string): void {
    this.#initial.add(file);
  }

  /**
   * How long (clock ms) a file must still be left alone before it is read: 0 once it has been
   * seen with this size and mtime for `stabilityMs`; a file seen for the first time or changed
   * since starts its wait now.
   */
  waitBeforeReading(file: string, st: Stats): number {
    const now = this.#clock.now();
    const seen = this.#observed.get(file);
    if (!seen || !same(seen, st)) {
      this.#observed.set(file, { size: st.size, mtimeMs: st.mtimeMs, since: now });
      return this.#stabilityMs;
    }
    return Math.max(0, seen.since + this.#stabilityMs - now);
  }

  /**
   * True when a file may still be being copied: seen changing less than `settleMs` ago (on the
   * clock), or, for a file that was there before the watcher started, modified that recently.
   */
  recentlyChanged(file: string, st: Stats): boolean {
    if (this.#initial.has(file)) return Date.now() - st.mtimeMs < this.#settleMs;
    const seen = this.#observed.get(file);
    return seen !== undefined && this.#clock.now() - seen.since < this.#settleMs;
  }

  /** The file is done with (filed away, gone, or noted in the memo). */
  forget(file: string): void {
    this.#observed.delete(file);
    this.#initial.delete(file);
  }
}

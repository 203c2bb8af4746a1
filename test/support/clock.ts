import type { WatchClock, WatchTimer } from '../../src/daemon/watch/options.ts';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock that moves only when a test says so: `now()` in ms and one-shot timers that fire, in
 * order, when {@link advance} passes their time. Real I/O (files, chokidar's events, decoder
 * threads) still takes its real time; {@link runUntil} lets it happen between small steps, so a
 * test waits for what it expects instead of sleeping against a threshold.
 */
export class ManualClock implements WatchClock {
  #now: number;
  #seq = 0;
  readonly #timers = new Map<WatchTimer, Pending>();

  constructor(startMs = Date.UTC(2026, 9, 1, 6, 0, 0)) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): WatchTimer {
    const handle = { id: ++this.#seq };
    this.#timers.set(handle, { at: this.#now + Math.max(0, ms), seq: handle.id, fn });
    return handle;
  }

  clearTimeout(timer: WatchTimer | undefined): void {
    if (timer) this.#timers.delete(timer);
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing each timer that falls due, earliest first. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let next: [WatchTimer, Pending] | null = null;
      for (const entry of this.#timers) {
        const [, p] = entry;
        if (
          p.at <= end &&
          (!next || p.at < next[1].at || (p.at === next[1].at && p.seq < next[1].seq))
        )
          next = entry;
      }
      if (!next) break;
      this.#timers.delete(next[0]);
      this.#now = next[1].at;
      next[1].fn();
    }
    this.#now = end;
  }

  /**
   * Moves time forward in steps of at most `stepMs`, letting real I/O run for a moment between
   * steps, until `cond` holds. While `working()` is true (real work such as an import in hand) the
   * clock stands still, so that time on it passes only for the waits. `giveUpMs` is real time:
   * only a broken test gets there.
   */
  async runUntil(
    what: string,
    cond: () => boolean,
    working: () => boolean = () => false,
    stepMs = 50,
    giveUpMs = 60_000,
  ): Promise<void> {
    const until = Date.now() + giveUpMs;
    while (!cond()) {
      if (Date.now() > until) throw new Error(`never happened: ${what} (clock at ${this.#now})`);
      if (!working()) this.advance(stepMs);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Lets real I/O run without moving the clock, until `cond` holds (see {@link runUntil}). */
  async waitFor(what: string, cond: () => boolean, giveUpMs = 60_000): Promise<void> {
    const until = Date.now() + giveUpMs;
    while (!cond()) {
      if (Date.now() > until) throw new Error(`never happened: ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

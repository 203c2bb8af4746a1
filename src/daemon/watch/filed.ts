import type { Logger } from '../../log.ts';
import { same, statOrNull } from './files.ts';
import type { WatchClock, WatchTimer } from './options.ts';

/** A file just filed away, as it was then. */
export interface Filed {
  /** Where it is now (in `processed/` or `failed/`). */
  moved: string;
  /** Where it was in the inbox (it goes back there when it changes). */
  from: string;
  /** Its `.error.txt`, or null. */
  note: string | null;
  size: number;
  mtimeMs: number;
}

/**
 * Keeps an eye on files just filed away (issue 21 item 4): a copy that paused for longer than
 * the watcher waited (a slow USB/MTP watch, a network share) goes on writing into the file after
 * it was moved (the move keeps the file, and the copying program writes on). Every `everyMs` each
 * file filed less than `forMs` ago (since it last changed) is stat'ed; one whose size or mtime
 * changed is handed to `changed` (the queue moves it back into the inbox to be read again).
 * Following costs a stat per file per `everyMs` and never makes the watcher busy.
 */
export class FiledFollow {
  readonly #clock: WatchClock;
  readonly #everyMs: number;
  readonly #forMs: number;
  readonly #log: Logger;
  readonly #changed: (f: Filed) => void;
  readonly #files = new Map<string, Filed & { since: number }>();
  #timer: WatchTimer | null = null;
  #stopped = false;

  /**
   * @param everyMs how often (ms, on `clock`) the files are looked at
   * @param forMs how long (ms) a file is followed after it was filed
   */
  constructor(
    clock: WatchClock,
    everyMs: number,
    forMs: number,
    log: Logger,
    changed: (f: Filed) => void,
  ) {
    this.#clock = clock;
    this.#everyMs = Math.max(1, everyMs);
    this.#forMs = forMs;
    this.#log = log;
    this.#changed = changed;
  }

  /** Files being followed. */
  get size(): number {
    return this.#files.size;
  }

  /** Follows a file just filed away, as it was seen when it was read. */
  follow(f: Filed): void {
    if (this.#stopped || this.#forMs <= 0) return;
    this.#files.set(f.moved, { ...f, since: this.#clock.now() });
    this.#schedule();
  }

  /** Stops following (at close). */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#files.clear();
  }

  #schedule(): void {
    if (this.#timer || this.#stopped || this.#files.size === 0) return;
    const t = this.#clock.setTimeout(() => {
      this.#timer = null;
      this.#look();
      this.#schedule();
    }, this.#everyMs);
    // Following never keeps the process alive.
    if ('unref' in t && typeof t.unref === 'function') t.unref();
    this.#timer = t;
  }

  #look(): void {
    const now = this.#clock.now();
    for (const [moved, f] of this.#files) {
      const st = statOrNull(moved);
      if (!st || !st.isFile()) {
        this.#files.delete(moved); // moved away or removed by the user
        continue;
      }
      if (!same(f, st)) {
        this.#files.delete(moved);
        this.#log.info(
          'a filed file changed after it was filed (a copy that paused); reading it again',
          {
            file: f.from,
            was: moved,
          },
        );
        try {
          this.#changed(f);
        } catch (e) {
          this.#log.warn('could not read a filed file again', {
            file: moved,
            error: e instanceof Error ? e.message : String(e),
          });
        }
        continue;
      }
      if (now - f.since >= this.#forMs) this.#files.delete(moved);
    }
  }
}

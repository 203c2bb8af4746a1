import type { Logger } from '../../log.ts';
import type { Store } from '../../store/index.ts';
import { errText, type Seen } from './files.ts';

/** Settings key of the (path → size:mtime) memo of read-only source files already looked at. */
export const SOURCE_MEMO_KEY = 'watch.sourceMemo';

const sig = (s: Seen) => `${s.size}:${s.mtimeMs}`;

/**
 * The (path, size, mtime) memo of read-only source files already looked at, kept in the settings
 * table, so mounting the watch again reads only new files.
 */
export class SourceMemo {
  readonly #store: Store;
  readonly #log: Logger;
  readonly #now: () => Date;
  #memo = new Map<string, string>();
  #memoDirty = false;

  constructor(store: Store, log: Logger, now: () => Date) {
    this.#store = store;
    this.#log = log;
    this.#now = now;
  }

  /** The file was looked at with this size and mtime. */
  has(file: string, s: Seen): boolean {
    return this.#memo.get(file) === sig(s);
  }

  /** Notes the file as looked at with this size and mtime (saved by {@link save}). */
  remember(file: string, s: Seen): void {
    this.#memo.set(file, sig(s));
    this.#memoDirty = true;
  }

  load(): void {
    try {
      const saved = this.#store.settings.get<Record<string, string>>(SOURCE_MEMO_KEY);
      this.#memo = new Map(Object.entries(saved ?? {}));
    } catch (e) {
      this.#log.warn('could not read the memo of seen files; reading them again', {
        error: errText(e),
      });
    }
  }

  save(): void {
    if (!this.#memoDirty) return;
    try {
      const now = this.#now().toISOString();
      this.#store.settings.set(SOURCE_MEMO_KEY, Object.fromEntries(this.#memo), now);
      this.#memoDirty = false;
    } catch (e) {
      this.#log.warn('could not save the memo of seen files', { error: errText(e) });
    }
  }
}

import fs from 'node:fs';
import path from 'node:path';
import type { RunId } from '../model.ts';
import type { SeenPath } from '../store/files.ts';
import type { Store } from '../store/index.ts';

/** A file known from the memo: its bytes' hash and the run stored from them, as of `version`. */
export interface MemoHit {
  sha256: string;
  of: RunId;
  /** {@link Store.changesElsewhere} when `of` was read: still current while it is unchanged. */
  version: number;
}

/**
 * The import's memo of files already read (store.files' file_paths): a file at the same path with
 * the same size and mtime as when it was last read, whose bytes a stored run still comes from, is
 * that run's duplicate without reading or hashing it. A folder named on the command line is looked
 * up in one query; a file named alone by its path. Anything else (never read, changed size or
 * mtime, its run since removed, not a regular file) is read as usual.
 */
export class ImportMemo {
  readonly #store: Store;
  readonly #folders: string[] = [];
  /** Each folder with the separator after it: the start of the paths inside it. */
  readonly #under: string[] = [];
  readonly #seen = new Map<string, SeenPath>();
  readonly #version: number;

  constructor(store: Store, given: readonly string[]) {
    this.#store = store;
    // Read before the rows: a change committed meanwhile makes the rows look older, never newer.
    this.#version = store.changesElsewhere();
    for (const g of given) {
      const abs = path.resolve(g);
      if (!fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory()) continue;
      if (this.#folders.some((f) => abs === f || abs.startsWith(f + path.sep))) continue;
      this.#folders.push(abs);
      this.#under.push(abs + path.sep);
      for (const [p, s] of store.files.seenUnder(abs, path.sep)) this.#seen.set(p, s);
    }
  }

  /** The run `file` (on disk) is a duplicate of, known without reading it; null: read it. */
  known(file: string): MemoHit | null {
    const abs = path.resolve(file);
    const inFolder = this.#under.some((f) => abs.startsWith(f));
    const seen = inFolder ? this.#seen.get(abs) : this.#store.files.seenPath(abs);
    // A file the memo does not know is read anyway: no stat for it here.
    if (!seen?.of) return null;
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (!st?.isFile() || seen.size !== st.size || seen.mtimeMs !== st.mtimeMs) return null;
    return {
      sha256: seen.sha256,
      of: seen.of,
      version: inFolder ? this.#version : this.#store.changesElsewhere(),
    };
  }
}

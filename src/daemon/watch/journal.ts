import type { Stats } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../log.ts';
import type { Store } from '../../store/index.ts';
import { errText, rootPath, same, statOrNull, type Origin, type Seen } from './files.ts';
import { fileAway, logResult, type Counts, type FilingContext, type Outcome } from './filing.ts';
import type { SourceMemo } from './memo.ts';

/** Settings key of the journal of files being read (path → {@link ReadingEntry}). */
export const READING_JOURNAL_KEY = 'watch.reading';

/** A file being read: as it was then, when, and whether it was read alone (see {@link ReadJournal}). */
export interface ReadingEntry {
  size: number;
  mtimeMs: number;
  /** ISO time its reading started. */
  since: string;
  /** The only file of its batch (the usual single drop, or a file read again on its own). */
  alone: boolean;
}

/** What the last run left of a file: in a batch when kneecheck stopped, or read alone then. */
export type LeftOver = 'in-batch' | 'alone';

/**
 * The journal of files being read, kept in the settings table: each batch's files are written
 * down before they are read and struck off once their results are stored. A file still written
 * down at the next start was being read when kneecheck stopped — killed, out of power, or taken
 * down by the file itself (a poison file used to crash the daemon at every start, so that nothing
 * else was ever imported). Such a file is read again once, alone in its batch (the others of a
 * killed batch are innocent and are imported); one that was read alone (a batch of one file, the
 * usual drop) when kneecheck stopped is not read again: the queue files it in `failed/` (see
 * {@link stoppedText}), so no file stops kneecheck at every start. Entries are matched
 * by path, size and mtime: a new copy under the same name is read as usual.
 *
 * The journal is a safety net: when it cannot be written (a full disk), the import goes on.
 */
export class ReadJournal {
  readonly #store: Store;
  readonly #log: Logger;
  readonly #now: () => Date;
  #entries = new Map<string, ReadingEntry>();
  /** Entries the last run left, until their file is dealt with. */
  readonly #left = new Map<string, ReadingEntry>();

  constructor(store: Store, log: Logger, now: () => Date) {
    this.#store = store;
    this.#log = log;
    this.#now = now;
  }

  /** Reads what the last run left; entries of files gone or changed since are dropped. */
  load(): void {
    let saved: Record<string, ReadingEntry> | null = null;
    try {
      saved = this.#store.settings.read(READING_JOURNAL_KEY, entriesOf);
    } catch (e) {
      this.#log.warn('could not read the journal of files being read', { error: errText(e) });
    }
    this.#entries.clear();
    this.#left.clear();
    for (const [file, entry] of Object.entries(saved ?? {})) {
      const st = statOrNull(file);
      if (!st?.isFile() || !same(st, entry)) continue;
      this.#entries.set(file, entry);
      this.#left.set(file, entry);
    }
    if (this.#left.size > 0) {
      this.#log.warn('files were being read when kneecheck last stopped', {
        files: [...this.#left.keys()],
      });
    }
    if (this.#left.size !== Object.keys(saved ?? {}).length) this.#save();
  }

  /** What the last run left of this file as it is now, or null. */
  leftOver(file: string, now: Seen): LeftOver | null {
    const e = this.#left.get(file);
    if (!e || !same(e, now)) return null;
    return e.alone ? 'alone' : 'in-batch';
  }

  /**
   * A batch's files by what the last run left of them: `stopped`, read alone when kneecheck
   * stopped (not to be read again); `groups` to import one after the other: each file of a batch
   * cut short alone, then the others together.
   */
  sort<T extends { file: string; before: Seen }>(
    ready: readonly T[],
  ): { stopped: T[]; groups: T[][] } {
    const left = new Map(ready.map((r) => [r, this.leftOver(r.file, r.before)]));
    const again = ready.filter((r) => left.get(r) === 'in-batch');
    const rest = ready.filter((r) => left.get(r) === null);
    return {
      stopped: ready.filter((r) => left.get(r) === 'alone'),
      groups: [...again.map((r) => [r]), ...(rest.length > 0 ? [rest] : [])],
    };
  }

  /** When the last run started reading the file (ISO), or null. */
  since(file: string): string | null {
    return this.#left.get(file)?.since ?? null;
  }

  /** Writes the files of a batch down before they are read (a batch of one: read alone). */
  begin(files: readonly { file: string; before: Seen }[]): void {
    const since = this.#now().toISOString();
    const alone = files.length === 1;
    for (const { file, before } of files) {
      this.#left.delete(file);
      this.#entries.set(file, { size: before.size, mtimeMs: before.mtimeMs, since, alone });
    }
    this.#save();
  }

  /** Strikes the files off: their results are stored, or they were dealt with otherwise. */
  end(files: readonly string[]): void {
    let changed = false;
    for (const file of files) {
      this.#left.delete(file);
      changed = this.#entries.delete(file) || changed;
    }
    if (changed) this.#save();
  }

  #save(): void {
    try {
      if (this.#entries.size === 0) this.#store.settings.delete(READING_JOURNAL_KEY);
      else {
        const value = Object.fromEntries(this.#entries);
        this.#store.settings.set(READING_JOURNAL_KEY, value, this.#now().toISOString());
      }
    } catch (e) {
      this.#log.warn('could not write the journal of files being read; importing anyway', {
        error: errText(e),
      });
    }
  }
}

/** The problem of a file that was read alone when kneecheck stopped (its `.error.txt` says it). */
export function stoppedText(since: string | null): string {
  const when = since ? ` (its reading started at ${since})` : '';
  return (
    `it stopped kneecheck while being read${when}: kneecheck was reading this file, and no other, ` +
    'when it crashed or was stopped. It is not read again, so that it cannot stop kneecheck again'
  );
}

/**
 * A file that kneecheck was reading, alone, when it last stopped: not read again. An inbox file
 * goes to `failed/` with a note saying so (struck off the journal once it is there); a read-only
 * source's file is noted in the memo (not read again until it changes). Logged and counted as
 * failed.
 */
export async function fileAwayStopped(
  c: FilingContext & { memo: SourceMemo; journal: ReadJournal },
  counts: Counts,
  r: { file: string; origin: Origin; before: Stats },
): Promise<void> {
  const { file, origin, before } = r;
  const outcome: Outcome = [[file, { kind: 'failed', error: stoppedText(c.journal.since(file)) }]];
  for (const [label, res] of outcome) logResult(c.log, counts, label, res);
  try {
    if (origin.kind === 'source') {
      c.memo.remember(file, before);
      c.memo.save();
    } else {
      await fileAway(c, file, path.relative(rootPath(origin, c.inbox), file), outcome, []);
    }
    c.journal.end([file]);
  } catch (e) {
    c.log.error('could not file away a file', { file, error: errText(e) });
  }
}

/** A stored journal, checked entry by entry (a damaged value is an empty journal). */
function entriesOf(v: unknown): Record<string, ReadingEntry> {
  const out: Record<string, ReadingEntry> = {};
  if (typeof v !== 'object' || v === null) return out;
  for (const [file, e] of Object.entries(v as Record<string, unknown>)) {
    if (typeof e !== 'object' || e === null) continue;
    const { size, mtimeMs, since, alone } = e as Record<string, unknown>;
    if (typeof size !== 'number' || typeof mtimeMs !== 'number') continue;
    out[file] = {
      size,
      mtimeMs,
      since: typeof since === 'string' ? since : '',
      alone: alone === true,
    };
  }
  return out;
}

import type { Logger } from '../../log.ts';
import type { ImportReport } from '../../import/pipeline.ts';
import type { Store } from '../../store/index.ts';

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
  /**
   * Called after each batch with its report (also when nothing new was imported); `more`: files
   * are still queued or waiting to be read (a burst goes on). Errors are logged.
   */
  onImported?: (report: ImportReport, progress: { more: boolean }) => void | Promise<void>;
  /**
   * A file must be seen with the same size and mtime for this long (on {@link clock}) before it
   * is read; default 300 ms.
   */
  stabilityMs?: number;
  /** The time the waits above are measured on, and their timers (default: the real ones). */
  clock?: WatchClock;
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
  /**
   * A file moved to `processed/` or `failed/` is looked at every `settleMs` for this long after
   * it was filed (default 60000 ms, on {@link clock}): when it still changes (a copy that paused),
   * it is moved back into the inbox and read again. 0: not followed.
   */
  followMs?: number;
  /**
   * A file held back because the database could not take it (a full disk, a read-only or damaged
   * database: not the file's fault) stays where it is and is tried again after this long (default
   * 30000 ms, on {@link clock}).
   */
  retryMs?: number;
  /** Decoder threads of the watcher's pool (default: one per core but one, started for batches of 8+ files). */
  workers?: number;
  /** How often missing read-only sources are checked for (default 5000 ms); chokidar also waits for them. */
  sourceCheckMs?: number;
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

/** An opaque timer handle of a {@link WatchClock}. */
export type WatchTimer = object;

/**
 * The watcher's time: every wait (debounce, stability, settle, looking for read-only folders) is
 * measured with `now()` (ms) and scheduled with these timers, so tests can move time by hand.
 */
export interface WatchClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): WatchTimer;
  clearTimeout(timer: WatchTimer | undefined): void;
}

/** The real clock and timers. */
export const realClock: WatchClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout | undefined),
};

import type { ImportedRun } from '../src/model.ts';

/** What an importer made of one input (a file, a zip member, an API payload). */
export type ImportOutcome =
  | { kind: 'runs'; runs: ImportedRun[] }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; error: string };

/** Settings an importer needs from the config, passed in (importers read no config themselves). */
export interface ImportContext {
  /** IANA zone used when a source carries no local time (KNEECHECK_TIMEZONE or the system's). */
  timezone: string;
}

/**
 * One source of runs. Importers do no I/O of their own: they turn bytes or payloads handed to
 * them into canonical runs plus a per-run form summary (DESIGN §2).
 */
export interface Importer<Input> {
  /** Short name, used in logs and the registry. */
  readonly name: string;
  /** Does this importer take an input with this (lower-cased) file name? */
  accepts(fileName: string): boolean;
  read(input: Input, ctx: ImportContext): ImportOutcome;
}

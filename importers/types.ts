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

/** A file's bytes (already decompressed) and their sha256: what every file-fed importer reads. */
export interface FileInput {
  bytes: Uint8Array;
  sha256: string;
}

/**
 * What feeds an importer: files it claims by their lower-cased name (its input is then a
 * {@link FileInput}), or the payloads of an API client that the caller runs and hands in.
 */
export type ImporterFeed = { kind: 'files'; names: RegExp } | { kind: 'api' };

/**
 * One source of runs. Importers do no I/O of their own: they turn bytes or payloads handed to
 * them into canonical runs plus a per-run form summary (DESIGN §2), and say what went wrong as
 * a value (`failed`, `skipped`), never by throwing. test/importers/contract.test.ts holds every
 * importer of the registry to this.
 */
export interface Importer<Input> {
  /** Short name, used in logs and the registry. */
  readonly name: string;
  readonly feed: ImporterFeed;
  read(input: Input, ctx: ImportContext): ImportOutcome;
}

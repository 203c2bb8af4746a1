/**
 * The file names each file importer claims (its `feed.names`, by lower-cased name): the one list of
 * file kinds. The CLI's collector, the zip reader and the inbox watcher ask {@link claimantOf}; a
 * name no importer claims is not read. Kept apart from the importers themselves because they load
 * their decoders (the FIT SDK alone adds ~70 ms to a start): asking what a file is loads none.
 * Each importer's `feed.names` is the regex listed here (test/importers/contract.test.ts holds
 * the registry to it).
 */
export const FILE_CLAIMS = {
  fit: /\.fit(\.gz)?$/,
  gpx: /\.gpx(\.gz)?$/,
  tcx: /\.tcx(\.gz)?$/,
} as const satisfies Record<string, RegExp>;

/** The importers fed by files, by name. */
export type FileImporterName = keyof typeof FILE_CLAIMS;

/** An archive whose members are read as files (Garmin's and Strava's exports), nested or not. */
export const ZIP_NAME = /\.zip$/i;

const KINDS = Object.keys(FILE_CLAIMS) as FileImporterName[];

/** The importer that claims a file (a path, or an archive label `a.zip!x/y.gpx`); null: none does. */
export function claimantOf(name: string): FileImporterName | null {
  const lower = name.toLowerCase();
  for (const k of KINDS) if (FILE_CLAIMS[k].test(lower)) return k;
  return null;
}

/** Does an importer claim this file name? */
export const claims = (name: string): boolean => claimantOf(name) !== null;

/** A name kneecheck picks up from a folder or an archive: one an importer claims, or a zip. */
export const isActivityName = (name: string): boolean => claims(name) || ZIP_NAME.test(name);

/** The formats read, in words for messages: "FIT, GPX and TCX" (or "FIT, GPX or TCX"). */
export function formatsText(conjunction: 'and' | 'or' = 'and'): string {
  const k = KINDS.map((n) => n.toUpperCase());
  return k.length > 1 ? `${k.slice(0, -1).join(', ')} ${conjunction} ${k.at(-1)}` : (k[0] ?? '');
}

/** {@link formatsText}: "FIT, GPX and TCX". */
export const FORMATS_TEXT = formatsText();

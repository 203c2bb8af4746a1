import fit from './fit.ts';
import gpx from './gpx.ts';
import intervals from './intervals.ts';
import strava from './strava.ts';
import tcx from './tcx.ts';
import type { FileInput, Importer } from './types.ts';

export { FILE_CLAIMS, ZIP_NAME, claimantOf, claims, isActivityName } from './names.ts';

/**
 * Every importer, by name (DESIGN §9: one explicit registry). Each says what feeds it: files
 * claimed by name (names.ts lists the claims), or an API client's payloads (the client is
 * injected, DESIGN §2).
 */
export const IMPORTERS = { fit, gpx, tcx, strava, intervals } as const satisfies Record<
  string,
  Importer<never>
>;

/** An importer fed by files reads a {@link FileInput} (types.ts). */
const takesFiles = (i: Importer<never>): i is Importer<FileInput> => i.feed.kind === 'files';

/** The importer that claims a file name (case-insensitive); null when none does. */
export function importerFor(fileName: string): Importer<FileInput> | null {
  const name = fileName.toLowerCase();
  for (const i of Object.values(IMPORTERS)) {
    if (i.feed.kind === 'files' && i.feed.names.test(name) && takesFiles(i)) return i;
  }
  return null;
}

/**
 * The importer that reads a file named explicitly: its claimant, else FIT, whose content check
 * decides (a watch's FIT file may carry any name; anything else is "not a FIT file").
 */
export const readerFor = (fileName: string): Importer<FileInput> => importerFor(fileName) ?? fit;
/** Does an importer claim this file name (not only the FIT fallback of {@link importerFor})? */
export const isClaimed = (fileName: string): boolean =>
  Object.values(IMPORTERS).some(
    (i) => i.feed.kind === 'files' && i.feed.names.test(fileName.toLowerCase()),
  );

import fit from './fit.ts';
import intervals from './intervals.ts';
import strava from './strava.ts';
import type { FileInput, Importer } from './types.ts';

/**
 * Every importer, by name (DESIGN §9: one explicit registry). Each says what feeds it: files
 * claimed by name, or an API client's payloads (the client is injected, DESIGN §2).
 */
export const IMPORTERS = { fit, strava, intervals } as const satisfies Record<
  string,
  Importer<never>
>;

/** An importer fed by files reads a {@link FileInput} (types.ts). */
const takesFiles = (i: Importer<never>): i is Importer<FileInput> => i.feed.kind === 'files';

/** The importer for a file name; FIT when nothing else claims it (content decides then). */
export function importerFor(fileName: string): Importer<FileInput> {
  const name = fileName.toLowerCase();
  for (const i of Object.values(IMPORTERS)) {
    if (i.feed.kind === 'files' && i.feed.names.test(name) && takesFiles(i)) return i;
  }
  return fit;
}

/** Does an importer claim this file name (not only the FIT fallback of {@link importerFor})? */
export const isClaimed = (fileName: string): boolean =>
  Object.values(IMPORTERS).some(
    (i) => i.feed.kind === 'files' && i.feed.names.test(fileName.toLowerCase()),
  );

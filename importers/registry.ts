import fit, { type FitInput } from './fit.ts';
import strava from './strava.ts';
import type { Importer } from './types.ts';

/** The importers of files, tried in order by file name (DESIGN §9: one explicit registry). */
export const fileImporters: readonly Importer<FitInput>[] = [fit];

/** Importers fed by an API client instead of files (the client is injected, DESIGN §2). */
export const apiImporters = { strava } as const;

/** The importer for a file name; FIT when nothing else claims it (content decides then). */
export function importerFor(fileName: string): Importer<FitInput> {
  return fileImporters.find((i) => i.accepts(fileName.toLowerCase())) ?? fit;
}

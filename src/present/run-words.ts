import type { Run, RunSource } from '../model.ts';

/** The kind of run in words, from `subSport` (DESIGN §3); the file or Strava may not say. */
const TYPE_WORDS: Record<string, string> = {
  street: 'road',
  road: 'road',
  treadmill: 'treadmill',
  indoorRunning: 'treadmill',
  trail: 'trail',
  track: 'track',
  virtual: 'virtual (indoor app)',
};

/** "road", "treadmill", "trail", …; "not said (road, most likely)" when the source names none. */
export function runTypeText(run: Pick<Run, 'subSport'>): string {
  if (run.subSport === null) return 'not said (road, most likely)';
  return TYPE_WORDS[run.subSport] ?? run.subSport;
}

/** A short type label for lists: "road", "treadmill", …; null when the source names none. */
export function runTypeShort(run: Pick<Run, 'subSport'>): string | null {
  if (run.subSport === null) return null;
  return (TYPE_WORDS[run.subSport] ?? run.subSport).replace(/ \(.*\)$/, '');
}

const SOURCE_WORDS: Record<RunSource['source'], string> = {
  fit: "your watch's file",
  gpx: 'a GPX file',
  tcx: 'a TCX file',
  strava: 'Strava',
  'apple-health': 'your Apple Health export',
  intervals: 'intervals.icu',
};

/**
 * Where a run's numbers came from, in words: "your watch's file", "Strava", or "your watch's
 * file and Strava" (the primary source, whose numbers are shown, first).
 */
export function sourcesText(run: Pick<Run, 'source' | 'sources'>): string {
  const kinds = [run.source, ...run.sources.map((s) => s.source)];
  const unique = [...new Set(kinds)];
  const fitFiles = run.sources.filter((s) => s.source === 'fit').length;
  return unique
    .map((k) =>
      k === 'fit' && fitFiles > 1 ? `${SOURCE_WORDS.fit} (${fitFiles} copies)` : SOURCE_WORDS[k],
    )
    .join(' and ');
}

/** Why a run counts in no metric, in words; null when it counts. */
export function excludedText(run: Pick<Run, 'excluded'>): string | null {
  if (run.excluded === null) return null;
  const by = run.excluded.by === 'user' ? 'by you' : 'by kneecheck';
  return `left out of every figure ${by}: ${run.excluded.reason}`;
}

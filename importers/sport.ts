import type { FileTime, TrackPoint } from './track.ts';

/*
 * What sport a GPX track or TCX activity is, from the words its writer used, and where one file
 * holds several activities. A file that names no sport is not stored as a run silently (the GPX
 * manifest's `sport-unknown`): it is skipped with a reason the runner can act on.
 */

/** Running, with the kind of run when the writer says it; or not, and why in words. */
export type SportVerdict =
  { kind: 'running'; subSport: string | null } | { kind: 'not-run' | 'unknown'; reason: string };

/** Strava's numeric activity types as its GPX export writes them in `<type>` (9 = Run). */
const STRAVA_TYPES: Record<string, string> = {
  '1': 'ride',
  '4': 'hike',
  '9': 'run',
  '10': 'walk',
};

const RUN_WORD = /\b(run|runs|running|jog|jogging|lauf|laufen|course à pied|carrera|corsa)\b|run$/i;
const TREADMILL = /treadmill|indoor[ _-]?run/i;
const TRAIL = /trail/i;
const TRACK = /\btrack[ _-]?run/i;
const OTHER_WORD =
  /\b(ride|riding|bike|biking|cycling|cycle|mtb|walk|walking|hike|hiking|swim|swimming|ski|skiing|rowing|kayak|paddle|skate|skating|elliptical|yoga|workout)\b/i;

const VIRTUAL = /virtual/i;

/** The kind of run a sport word names (DESIGN §3 subSport); null when it names none. */
function subSportOf(word: string): string | null {
  if (TREADMILL.test(word)) return 'treadmill';
  if (TRAIL.test(word)) return 'trail';
  if (TRACK.test(word)) return 'track';
  return VIRTUAL.test(word) ? 'virtual' : null;
}

/** A sport word (`running`, `Run`, `9`, `Biking`, `trail_running`) as a verdict; null: says nothing. */
function fromWord(raw: string, declared: boolean): SportVerdict | null {
  const word = (STRAVA_TYPES[raw.trim()] ?? raw).replace(/_/g, ' ').trim();
  if (word === '') return null;
  if (RUN_WORD.test(word) || TREADMILL.test(word)) {
    return { kind: 'running', subSport: subSportOf(word) };
  }
  if (OTHER_WORD.test(word) || (declared && /^\d+$/.test(word))) {
    return {
      kind: 'not-run',
      reason: `not a run (${/^\d+$/.test(word) ? `Strava type ${word}` : word.toLowerCase()})`,
    };
  }
  return null;
}

/**
 * The sport of an activity: its declared sport words first (GPX `<type>`, TCX `Sport`), then
 * the words of its name ("Afternoon Run": Strava writes no type for some exports).
 */
export function sportVerdict(
  declared: readonly string[],
  names: readonly string[],
  format: 'gpx' | 'tcx',
): SportVerdict {
  for (const d of declared) {
    const v = fromWord(d, true);
    if (v) return v;
  }
  for (const n of names) {
    const v = fromWord(n, false);
    if (v) return v;
  }
  const said = declared.find((d) => d.trim() !== '');
  const what =
    said !== undefined
      ? `its sport is "${said.trim()}"`
      : format === 'gpx'
        ? 'it names no sport (no <type>)'
        : 'it names no sport';
  return {
    kind: 'unknown',
    reason: `sport unknown: ${what}, so it is not stored as a run (export it with its sport, or import the watch's FIT file)`,
  };
}

/** Pieces of one file farther apart than this are separate activities, not a pause, s. */
export const SEPARATE_ACTIVITY_GAP_S = 3 * 3600;

/** A segment of points, with the times as written and what it belongs to. */
export interface Piece<Owner> {
  points: TrackPoint[];
  times: FileTime[];
  owner: Owner;
}

/** Groups consecutive segments into activities, a new one after a gap of 3 h or more. */
export function splitAtLongGaps<O>(pieces: readonly Piece<O>[]): Piece<O>[][] {
  const out: Piece<O>[][] = [];
  let lastMs = -Infinity;
  for (const p of pieces) {
    const first = p.points[0];
    if (!first) continue;
    if (out.length === 0 || first.tMs - lastMs >= SEPARATE_ACTIVITY_GAP_S * 1000) out.push([]);
    out.at(-1)?.push(p);
    lastMs = Math.max(lastMs, p.points.at(-1)?.tMs ?? first.tMs);
  }
  return out;
}

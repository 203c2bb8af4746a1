import { formatDistance } from '../format.ts';
import type { Units } from '../model.ts';
import { GATE_FLARES, GATE_RUNS, MIN_GROUP_RUNS, type Grade, type GroupCount } from './compare.ts';
import type { Exposure } from './exposures.ts';
import type { PatternKnee } from './flares.ts';
import type { ExposurePattern, Pattern } from './index.ts';

/** Each exposure's runs, in words ("long runs (over 8.00 km)"), and its short noun ("long runs"). */
function exposureNames(
  exposure: Exposure,
  longRunM: number | null,
  units: Units,
): { runs: string; short: string } {
  switch (exposure) {
    case 'spike':
      return {
        runs: 'spike runs (more than 10 % longer than your longest of the 30 days before)',
        short: 'spike runs',
      };
    case 'ramp':
      return {
        runs: 'runs in a jump week (the 7 days up to the run more than 30 % above the 7 before)',
        short: 'jump-week runs',
      };
    case 'long-run':
      return {
        runs: `long runs (over ${formatDistance(longRunM, units)}, your longest quarter)`,
        short: 'long runs',
      };
    case 'low-step-rate':
      return {
        runs: 'runs with a step rate 3 % or more below your own at that speed',
        short: 'low-step-rate runs',
      };
    case 'new-shoes':
      return {
        runs: 'runs in new shoes (under 50 km, or changed to in the 14 days before)',
        short: 'new-shoe runs',
      };
    case 'back-to-back':
      return { runs: 'runs the day after a run', short: 'day-after runs' };
  }
}

/** Why an exposure can be unknown for a run. */
const UNKNOWN: Record<Exposure, string> = {
  spike: 'no run in the 30 days before',
  ramp: 'no distance in the 7 days before the week',
  'long-run': 'no distance',
  'low-step-rate': 'no step rate, or too few runs with one for your own line',
  'new-shoes': 'no shoe pair given to the runs',
  'back-to-back': 'no run start',
};

/** "a 93.8 %", or "an over 99.9 %" where one decimal would round to a certainty. */
const chanceWords = (p: number): string =>
  p >= 0.9995 ? 'an over 99.9 %' : p < 0.0005 ? 'an under 0.1 %' : `a ${(p * 100).toFixed(1)} %`;

/** "a, b and c". */
const listWords = (items: readonly string[]): string =>
  items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;

const pct = (f: number): string => `${Math.round(f * 100)} %`;

/** "75 % (28–97 %)": a rate and its Jeffreys interval. */
export function rateWords(g: GroupCount): string {
  if (g.rate === null || g.interval === null) return '–';
  return `${pct(g.rate)} (${Math.round(g.interval.low * 100)}–${pct(g.interval.high)})`;
}

/** The grade in the words of science.md. */
export function gradeWords(
  grade: Grade,
  fewRuns: boolean,
  short: string,
  otherFew: boolean,
): string {
  switch (grade) {
    case 'clear-so-far':
      return fewRuns ? `clear so far, but few ${otherFew ? 'other runs' : short}` : 'clear so far';
    case 'hint':
      return 'a hint, not yet a pattern';
    case 'not-clear':
      return 'not clear';
    case 'too-few-runs':
      return `too few runs to compare (each side needs ${MIN_GROUP_RUNS})`;
  }
}

const kneeName = (knee: PatternKnee): string => (knee === null ? 'Your knee' : `Your ${knee} knee`);

/**
 * One comparison in a line, to follow "Your knee": counts first, then the rates, the chance, the
 * grade, the overlaps (or ": no comparison …" when the exposure is known for no answered run).
 */
export function exposureLine(e: ExposurePattern, longRunM: number | null, units: Units): string {
  const names = exposureNames(e.exposure, longRunM, units);
  if (e.exposed.runs + e.other.runs === 0) {
    return `: no comparison for ${names.short} (not known for any answered run: ${UNKNOWN[e.exposure]}).`;
  }
  const counts =
    `flared after ${e.exposed.flares} of ${e.exposed.runs} ${names.runs} ` +
    `and ${e.other.flares} of ${e.other.runs} other runs`;
  const grade = gradeWords(e.grade, e.fewRuns, names.short, e.other.runs < e.exposed.runs);
  const rates =
    e.pHigher === null
      ? ''
      : `: ${rateWords(e.exposed)} vs ${rateWords(e.other)}, ` +
        `${chanceWords(e.pHigher)} chance the rate is higher after ${names.short}`;
  const overlap =
    e.overlaps.length === 0
      ? ''
      : ` Can't tell these apart: ${listWords([
          names.short,
          ...e.overlaps.map((o) => exposureNames(o, longRunM, units).short),
        ])} are mostly the same runs.`;
  return `${counts}${rates} — ${grade}.${overlap}`;
}

/**
 * The pattern in words, one line each: how far from the gate, or per knee each comparison
 * (counts first) with its grade. Never a prediction: what the history shows so far.
 */
export function patternWords(pattern: Pattern, units: Units): string[] {
  const { gate } = pattern;
  if (!gate.met) return [notYet(gate.answeredRuns, gate.flares)];
  const lines = [
    `From ${gate.answeredRuns} runs with a knee answer and ${gate.flares} flares ` +
      '(pain 3/10 or more, or 2 points above before the run, within 48 h). ' +
      'What your history shows so far, not a prediction:',
  ];
  for (const k of pattern.knees) {
    if (k.exposures.length === 0) {
      lines.push(`${kneeName(k.knee)}: ${notYet(k.answeredRuns, k.flares)}`);
      continue;
    }
    for (const e of k.exposures) {
      const line = exposureLine(e, pattern.longRunM, units);
      lines.push(`${kneeName(k.knee)}${line.startsWith(':') ? '' : ' '}${line}`);
    }
  }
  return lines;
}

/** "Not yet: 12 of 20 runs answered" (and the flares when they are what is missing). */
function notYet(answered: number, flares: number): string {
  const parts: string[] = [];
  if (answered < GATE_RUNS) parts.push(`${answered} of ${GATE_RUNS} runs answered`);
  if (flares < GATE_FLARES) parts.push(`${flares} of ${GATE_FLARES} flares`);
  return (
    `Not yet: ${parts.join(', ')}. A pattern needs ${GATE_RUNS} runs with a knee check within ` +
    `48 h and ${GATE_FLARES} flares before kneecheck says anything about it.`
  );
}

import type { DateTime } from 'luxon';
import { dayNumberOf, daysSinceMonday, localDayNumber } from '../load/days.ts';
import { formatPace, type Units } from '../format.ts';
import type { Because, KneeCheck, PainRange } from '../model.ts';

const M_PER_MILE = 1609.344;

/**
 * Plain-language labels of the signals `because` names, shown beside the id (the id stays for
 * tools). One list, so a label reads the same wherever it appears.
 */
export const SIGNAL_LABELS: Readonly<Record<string, string>> = {
  'knee-check.swelling': 'you reported swelling',
  'knee-check.locking': 'you reported a locked or catching knee',
  'knee-check.giving-way': 'you reported the knee giving way',
  'knee-check.cannot-bear-weight': 'you reported not being able to bear weight',
  'knee-check.hot-red-fever': 'you reported a hot, red knee with fever',
  'knee-check.sharp': 'you reported sharp or constant pain',
  'knee-check.changed-gait': 'you reported pain that changed how you ran',
  'knee-check.where': 'where it hurts',
  pain: 'pain you reported (0–10)',
  'pain-days': 'days your checks have reported pain',
  'pain-rise-without-run': 'rise in pain with no run in between (points out of 10)',
  'pain-rise-same-run':
    'rise in pain since your earlier check about the same run (points out of 10)',
  'hours-after-run': 'hours between the end of your run and the check',
  'days-after-run': 'days between the end of your last run and the check',
  'run-vs-longest-30-days': 'this run against your longest of the 30 days before (ratio)',
  // The id stays (it is stable for tools); the baseline is now the larger of the 7 days before
  // and the average week of the 4 before (science.md `weekly-ramp`).
  'last-7-days-vs-previous-7-days':
    'distance of the last 7 days against the larger of the 7 before and your average week of the 4 before (ratio)',
  'acwr-context': 'acute:chronic load, 7 against 28 days (context only)',
  'rest-days-last-7': 'days without a run in the last 7',
  'days-since-previous-run': 'days without a run before this one',
  'comeback-limit-km': 'comeback limit: half your longest run before the break (km)',
  'comeback-limit-mi': 'comeback limit: half your longest run before the break (mi)',
  'runs-so-far': 'runs recorded so far',
  'return-test': 'days walking, squatting and stairs were pain-free',
  'ladder-step': 'step of the return ladder (kneecheck’s own steps)',
  'ladder-session': 'how the last session on the ladder went',
  'step-rate-vs-own-line-pct': 'your step rate against your own usual at that speed (%)',
  'step-rate-vs-population-line-pct':
    'your step rate against the usual for runners at that speed (%)',
  'step-length-vs-line-pct': 'your step length against your usual at that speed (%)',
  'late-run-step-rate-change-pct': 'step rate in the last fifth of the run against the first (%)',
};

/** A reason, with its plain-language label. */
export function reason(
  signal: string,
  value: Because['value'],
  threshold: Because['threshold'],
  source: string,
  label = SIGNAL_LABELS[signal] ?? signal,
): Because {
  return { signal, label, value, threshold, source };
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

/** "Tue 24 Nov", in the runner's zone; "today" and "yesterday" when they are. */
export function day(iso: string, zone: string, now?: DateTime): string {
  // Local day numbers, not luxon dates: the same days, without a date object per sentence.
  return dayOfNumber(localDayNumber(iso, zone), zone, now);
}

/** {@link day} of a local day number; "tomorrow" too. */
export function dayOfNumber(d: number, zone: string, now?: DateTime): string {
  if (now) {
    const diff = dayNumberOf(now.toJSDate(), zone) - d;
    if (diff === 0) return 'today';
    if (diff === 1) return 'yesterday';
    if (diff === -1) return 'tomorrow';
  }
  const date = new Date(d * 86_400_000);
  return `${WEEKDAYS[daysSinceMonday(d)]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;
}

/** "today", "yesterday" or "on Tue 24 Nov": {@link day} as it follows a verb. */
export function onDay(iso: string, zone: string, now: DateTime): string {
  const d = day(iso, zone, now);
  return d === 'today' || d === 'yesterday' || d === 'tomorrow' ? d : `on ${d}`;
}

/**
 * A distance a person can plan with: metric to 0.5 km, imperial to 0.25 mi, rounded down when it
 * is a limit ("keep it under"), never below one step of rounding.
 */
export function roundDistance(
  m: number,
  units: Units,
  how: 'nearest' | 'down' = 'nearest',
): string {
  const perUnit = units === 'imperial' ? M_PER_MILE : 1000;
  const step = units === 'imperial' ? 0.25 : 0.5;
  const x = m / perUnit / step;
  const n = Math.max(1, how === 'down' ? Math.floor(x + 1e-9) : Math.round(x)) * step;
  return `${Number(n.toFixed(2))} ${units === 'imperial' ? 'mi' : 'km'}`;
}

/** A whole percentage. */
export const pct = (ratio: number): number => Math.round((ratio - 1) * 100);

/** Rounds to `digits` decimals (for `because` values). */
export const round = (value: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/**
 * "about 7:00 /km or slower; your usual is 6:30 /km": the runner's usual pace plus
 * 30 s/km (45 s/mi), rounded to 5 s; null without a usual pace.
 */
export function slowerPace(usualMps: number | null, units: Units): string | null {
  if (usualMps === null || usualMps <= 0) return null;
  const perUnit = units === 'imperial' ? M_PER_MILE : 1000;
  const usualS = perUnit / usualMps;
  const easyS = Math.round((usualS + (units === 'imperial' ? 45 : 30)) / 5) * 5;
  return `about ${formatPace(perUnit / easyS, units)} or slower; your usual is ${formatPace(perUnit / (Math.round(usualS / 5) * 5), units)}`;
}

/**
 * How to end a standing red flag, said the same way everywhere: in the words of the buttons (the
 * dashboard's and the phone's); the command line adds its commands below the advice
 * (present/advice-text.ts), so no surface shows another's commands.
 */
export const HOW_TO_CLEAR =
  'This stands until you press "A clinician has seen my knee" after the visit, or "Delete this check" on a check made by mistake.';

/** The button words {@link HOW_TO_CLEAR} names, for surfaces that offer them. */
export const CLEAR_BUTTON = 'A clinician has seen my knee';
export const DELETE_BUTTON = 'Delete this check';

/** A range as the runner answered it: "6 or more", "4–5/10", "0/10" (a range of one value). */
export function rangeWords(r: PainRange): string {
  if (r.from === r.to) return `${r.to}/10`;
  return r.to >= 10 ? `${r.from} or more` : `${r.from}–${r.to}/10`;
}

/** A check's pain as the runner said it: "3/10", or its range ("6 or more"), never an invented exact number. */
export const painWords = (c: Pick<KneeCheck, 'pain' | 'painRange'>): string =>
  c.painRange ? rangeWords(c.painRange) : `${c.pain}/10`;

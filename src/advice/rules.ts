import type { AdviceLevel, SuggestionCode } from '../model.ts';
import type { Thresholds } from './thresholds.ts';

/**
 * One row of the rule table (`../shared/science.md`, "Rule table"). `level: 'tip'` adds its
 * suggestion without raising the advice level. Messages are templates whose `{names}` the rule's
 * evaluation fills with the runner's numbers.
 */
export interface Rule {
  id: string;
  signal: string;
  /** The threshold the rule compares with (null: a reported fact, e.g. swelling). */
  threshold: keyof Thresholds | null;
  level: AdviceLevel | 'tip';
  codes: readonly SuggestionCode[];
  headline: string;
  message: string;
  /** Keys of science.md; `kneecheck` marks a cut-off that is the product's own choice. */
  sources: readonly string[];
}

/** The rules, most urgent first. Red flags always win over load rules (DESIGN §1). */
export const RULES: readonly Rule[] = [
  {
    id: 'red-flag-urgent',
    signal: 'knee-check',
    threshold: null,
    level: 'see-doctor',
    codes: ['see-doctor'],
    headline: 'See a clinician today: {flags}.',
    message:
      'Your knee check on {date} reported {flags}. That needs a clinician today, not next week; do not run until you have been seen.',
    sources: ['RED-FLAGS'],
  },
  {
    id: 'red-flag-swelling-giving-way',
    signal: 'knee-check',
    threshold: null,
    level: 'see-doctor',
    codes: ['see-doctor'],
    headline: 'See a clinician before you run again: {flags}.',
    message:
      'Your knee check on {date} reported {flags}. These are not normal training stress: see a clinician within days and do not run until you have.',
    sources: ['GUIDE-2026', 'RED-FLAGS'],
  },
  {
    id: 'red-flag-duration',
    signal: 'pain-days',
    threshold: 'painDays',
    level: 'see-doctor',
    codes: ['see-doctor'],
    headline: 'See a clinician: your knee has hurt for {days} days.',
    message:
      'You have reported knee pain in every check for {days} days (since {since}). Pain lasting more than {limit} days should be seen by a clinician.',
    sources: ['GUIDE-2026', 'RED-FLAGS'],
  },
  {
    id: 'red-flag-rest',
    signal: 'pain-rise-without-run',
    threshold: null,
    level: 'see-doctor',
    codes: ['see-doctor'],
    headline: 'See a clinician: your knee got worse while resting.',
    message:
      'Your pain rose from {from}/10 to {to}/10 between {fromDate} and {toDate} without a run in between. Pain that worsens despite rest should be seen by a clinician.',
    sources: ['GUIDE-2026'],
  },
  {
    id: 'sharp-or-gait',
    signal: 'knee-check',
    threshold: 'stopPainAbove',
    level: 'stop',
    codes: ['rest-until-pain-free'],
    headline: 'Stop running until walking, squatting and stairs are pain-free.',
    message:
      'Your knee check on {date} reported {what}. Stop running until you can walk, squat and take stairs without pain; then restart short and easy.',
    sources: ['GUIDE-2026', 'PAIN-MONITORING'],
  },
  {
    id: 'pain-not-settling',
    signal: 'pain-after-run',
    threshold: 'settleHours',
    level: 'ease-off',
    codes: ['ease-off', 'add-rest-day'],
    headline: 'Ease off: your knee pain has not settled.',
    message:
      '{what} Soreness that does not settle means the last load was too much: run shorter and slower, and add a rest day until a check shows 0/10.',
    sources: ['GUIDE-2026', 'PAIN-MONITORING'],
  },
  {
    id: 'moderate-pain',
    signal: 'pain',
    threshold: 'mildPainMax',
    level: 'ease-off',
    codes: ['ease-off', 'add-rest-day'],
    headline: 'Ease off: {pain}/10 is more than mild soreness.',
    message:
      'You reported {pain}/10 on {date}, above mild ({limit}/10). Cut your next runs shorter and slower, add a rest day, and check again tomorrow morning.',
    sources: ['kneecheck', 'PAIN-MONITORING'],
  },
  {
    id: 'session-spike',
    signal: 'run-vs-longest-30-days',
    threshold: 'spikeEaseOff',
    level: 'ease-off',
    codes: ['ease-off'],
    headline:
      'Ease off: your run on {date} was {pct} % longer than your longest of the 30 days before.',
    message:
      'Your run on {date} was {distance}, {pct} % longer than your longest run in the 30 days before it ({longest}). In 5,205 runners, runs that much longer came with a {hazard}× injury rate. Keep your next run under {limit}.',
    sources: ['RUNSAFE-2025'],
  },
  {
    id: 'weekly-ramp',
    signal: 'last-7-days-vs-previous-7-days',
    threshold: 'weeklyRamp',
    level: 'ease-off',
    codes: ['ease-off'],
    headline: 'Ease off: {pct} % more distance than the week before.',
    message:
      'You ran {last} in the last 7 days, {pct} % more than in the 7 days before ({previous}). Plan at most {limit} for the next 7 days, and add a rest day.',
    sources: ['NIELSEN-2014', 'GUIDE-2026'],
  },
  {
    id: 'session-spike-caution',
    signal: 'run-vs-longest-30-days',
    threshold: 'spikeCaution',
    level: 'caution',
    codes: ['ease-off'],
    headline:
      'Careful: your run on {date} was {pct} % longer than your longest of the 30 days before.',
    message:
      'Your run on {date} was {distance}, {pct} % longer than your longest run in the 30 days before it ({longest}). Runs more than 10 % longer than that came with a {hazard}× injury rate in 5,205 runners. Keep your next run under {limit}.',
    sources: ['RUNSAFE-2025'],
  },
  {
    id: 'mild-pain',
    signal: 'pain',
    threshold: 'mildPainMax',
    level: 'caution',
    codes: ['ease-off'],
    headline: 'Careful: keep running, but shorter, slower and with more rest days.',
    message:
      'You reported mild pain ({pain}/10) on {date}{settled}. Mild soreness that is gone within 24–48 h is fine: keep running, but shorter and slower, with more rest days.',
    sources: ['GUIDE-2026', 'PAIN-MONITORING'],
  },
  {
    id: 'no-rest',
    signal: 'rest-days-last-7',
    threshold: null,
    level: 'caution',
    codes: ['add-rest-day'],
    headline: 'Careful: you have run every day for {streak} days.',
    message:
      'You ran on each of the last 7 days ({streak} days in a row). Take at least one rest day this week.',
    sources: ['GUIDE-2026'],
  },
  {
    id: 'long-strides',
    signal: 'step-rate-at-matched-speed',
    threshold: 'cadenceDropPct',
    level: 'caution',
    codes: ['shorten-stride'],
    headline: 'Careful: shorten your stride.',
    message:
      'On {date} your step rate was {actual} steps/min at {pace}, {pct} % below the {expected} your {basis} line expects at that speed{stepLength}. Aim for about {target} steps/min at the same pace (+{increase} %), never more than {max} (+{maxIncrease} %).',
    sources: ['CADENCE-SPEED', 'HEIDERSCHEIT-2011', 'LENHART-2014', 'WILLSON-2014'],
  },
  {
    id: 'late-drop',
    signal: 'late-run-step-rate',
    threshold: 'lateDropPct',
    level: 'caution',
    codes: ['shorten-stride'],
    headline: 'Careful: your strides got longer late in your run.',
    message:
      'In the last fifth of your run on {date} your step rate fell {pct} % (from {first} to {last} steps/min) at about the same speed: tired legs take longer, heavier strides. Keep your steps quick and short when you tire, around {target} steps/min.',
    sources: ['HEIDERSCHEIT-2011', 'kneecheck'],
  },
  {
    id: 'ok',
    signal: 'none',
    threshold: null,
    level: 'ok',
    codes: ['keep-going'],
    headline: 'Keep going: nothing in your runs or knee checks calls for a change.',
    message:
      'Keep building gradually: no single run much longer than your longest of the last 30 days, and at least one rest day a week.',
    sources: ['RUNSAFE-2025', 'GUIDE-2026'],
  },
];

export function rule(id: string): Rule {
  const r = RULES.find((x) => x.id === id);
  if (!r) throw new Error(`no advice rule ${id}`);
  return r;
}

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
}

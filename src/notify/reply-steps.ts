import type { CheckInput } from '../checks.ts';
import { NO_KNEE_FLAGS, type KneeLocation, type KneeSide } from '../model.ts';

/**
 * The questions of a knee check answered on the phone (issue 15). ntfy shows at most three
 * buttons, so each question offers three, and a fourth choice hides behind a "…" button.
 */
export const STEPS = {
  start: [
    ['none', 'No pain'],
    ['some', 'Some pain'],
    ['hurts', 'Hurts'],
  ],
  where: [
    ['front', 'Front'],
    ['side', 'Inside or outside…'],
    ['other', 'Back or other…'],
  ],
  side: [
    ['inside', 'Inside'],
    ['outside', 'Outside'],
    ['both-sides', 'Both sides'],
  ],
  other: [
    ['back', 'Back'],
    ['all-over', 'All over'],
    ['unsure', 'Not sure'],
  ],
  knee: [
    ['left', 'Left'],
    ['right', 'Right'],
    ['both', 'Both'],
  ],
  pain: [
    ['1-3', '1–3'],
    ['4-5', '4–5'],
    ['6-10', '6 or more'],
  ],
  flag: [
    ['none', 'None'],
    ['swollen-or-locked', 'Swollen or locked…'],
    ['gave-way-or-weight', "Gave way / can't bear weight…"],
  ],
  swollenLocked: [
    ['swollen', 'Swollen'],
    ['locked', 'Locked'],
    ['both', 'Both'],
  ],
  gaveWayWeight: [
    ['gave-way', 'Gave way'],
    ['cannot-bear-weight', "Can't bear weight"],
    ['both', 'Both'],
  ],
  // The guide's return test after a stop (GUIDE-2026), asked after "No pain" while stopped.
  returnTest: [
    ['all', 'All three fine'],
    ['walk-only', 'Only walking'],
    ['not-yet', 'Not yet'],
  ],
  test: [['test', 'Test reply']],
} as const satisfies Record<string, readonly (readonly [string, string])[]>;

export type StepName = keyof typeof STEPS;

/** The question each step asks (the notification's text). */
export const STEP_QUESTION: Record<StepName, string> = {
  start: 'How do your knees feel?',
  where: 'Where does it hurt?',
  side: 'Inside or outside of the knee?',
  other: 'Where else?',
  knee: 'Which knee?',
  pain: 'How much, from 0 (none) to 10 (worst)?',
  flag: 'Is the knee swollen or locked, or did it give way?',
  swollenLocked: 'Swollen, locked, or both?',
  gaveWayWeight: "It gave way, you can't bear weight on it, or both?",
  returnTest: 'Can you walk, squat and take stairs without pain?',
  test: 'Tap to send a test reply through the ntfy server.',
};

export const isStep = (s: string): s is StepName => Object.hasOwn(STEPS, s);

/** The button choices of a step, as `{ answer, label }`. */
export const choicesOf = (step: StepName): { answer: string; label: string }[] =>
  STEPS[step].map(([answer, label]) => ({ answer, label }));

export const isChoice = (step: StepName, answer: string): boolean =>
  STEPS[step].some(([a]) => a === answer);

/**
 * The step after `answer` to `step`, or null when the series is complete; with `returnTest`
 * (a knee is stopped), "No pain" goes on to the guide's return test.
 */
export function nextStep(
  step: StepName,
  answer: string,
  opts: { returnTest?: boolean } = {},
): StepName | null {
  switch (step) {
    case 'start':
      return answer === 'none' ? (opts.returnTest ? 'returnTest' : null) : 'where';
    case 'where':
      return answer === 'side' ? 'side' : answer === 'other' ? 'other' : 'knee';
    case 'side':
    case 'other':
      return 'knee';
    case 'knee':
      return 'pain';
    case 'pain':
      return 'flag';
    case 'flag':
      return answer === 'swollen-or-locked'
        ? 'swollenLocked'
        : answer === 'gave-way-or-weight'
          ? 'gaveWayWeight'
          : null;
    default:
      return null;
  }
}

/** A pain range: stored as its upper bound, so the advice errs on the safe side. */
export interface PainRange {
  low: number;
  high: number;
}

/** The ranges behind the answers: "Some pain" and "Hurts" until "how much" narrows them. */
const RANGES: Record<string, PainRange> = {
  'start:some': { low: 1, high: 5 },
  'start:hurts': { low: 6, high: 10 },
  'pain:1-3': { low: 1, high: 3 },
  'pain:4-5': { low: 4, high: 5 },
  'pain:6-10': { low: 6, high: 10 },
};

const LOCATIONS: Record<string, KneeLocation[]> = {
  'where:front': ['front'],
  'side:inside': ['inside'],
  'side:outside': ['outside'],
  'side:both-sides': ['inside', 'outside'],
  'other:back': ['back'],
};

export const rangeText = (r: PainRange): string =>
  r.high >= 10 ? `${r.low} or more` : `${r.low}–${r.high}`;

/** What a series of answers says, ready to be recorded. */
export interface SeriesCheck {
  input: CheckInput;
  /** The range the pain was answered as (null: "No pain", exact). */
  range: PainRange | null;
  /** True when the runner stopped before the last question. */
  complete: boolean;
}

/**
 * Turns the answers of a series into a knee check: pain as the upper bound of the narrowest range
 * answered, where, which knee and each red flag as answered (an answer that names two flags
 * without saying which records both: a red flag stands until a clinician clears it), and the
 * exact choices in the note. `complete` says whether the last question was answered.
 */
export function seriesCheck(answers: readonly { step: string; answer: string }[]): SeriesCheck {
  const flags: { -readonly [K in keyof typeof NO_KNEE_FLAGS]: boolean } = { ...NO_KNEE_FLAGS };
  let range: PainRange | null = null;
  let pain = 0;
  let knee: KneeSide | null = null;
  const test: { walkOk: boolean | null; squatOk: boolean | null; stairsOk: boolean | null } = {
    walkOk: null,
    squatOk: null,
    stairsOk: null,
  };
  const where = new Set<KneeLocation>();
  const said: string[] = [];
  let complete = false;
  for (const { step, answer } of answers) {
    if (!isStep(step) || !isChoice(step, answer)) continue;
    const label = STEPS[step].find(([a]) => a === answer)?.[1] ?? answer;
    said.push(`${STEP_QUESTION[step]} ${label.replace(/…$/, '')}`);
    const r = RANGES[`${step}:${answer}`];
    if (r) range = r;
    for (const l of LOCATIONS[`${step}:${answer}`] ?? []) where.add(l);
    if (step === 'knee') knee = answer as KneeSide;
    if (step === 'returnTest') {
      test.walkOk = answer !== 'not-yet';
      test.squatOk = test.stairsOk = answer === 'all';
    }
    if (step === 'flag' && answer === 'swollen-or-locked') flags.swelling = flags.locking = true;
    if (step === 'flag' && answer === 'gave-way-or-weight')
      flags.givingWay = flags.cannotBearWeight = true;
    if (step === 'swollenLocked') {
      flags.swelling = answer !== 'locked';
      flags.locking = answer !== 'swollen';
    }
    if (step === 'gaveWayWeight') {
      flags.givingWay = answer !== 'cannot-bear-weight';
      flags.cannotBearWeight = answer !== 'gave-way';
    }
    if (nextStep(step, answer) === null) complete = true;
  }
  if (range) pain = range.high;
  // The range is kept as answered (issue 23: ranges stay ranges); the rules read its top.
  const counted = range ? ` Pain answered as ${rangeText(range)}.` : '';
  const stopped = complete ? '' : ' (The runner stopped answering before the last question.)';
  return {
    input: {
      pain,
      painRange: range && range.low !== range.high ? { from: range.low, to: range.high } : null,
      where: [...where],
      knee,
      via: 'notification',
      ...flags,
      ...test,
      note: `Answered on the phone: ${said.join(' · ')}.${counted}${stopped}`,
    },
    range,
    complete,
  };
}

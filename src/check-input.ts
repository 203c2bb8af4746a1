/**
 * The one parser of a knee check's answers, shared by the command line (`kneecheck check`,
 * `check edit`), the web form and the JSON API (`POST /api/checks`, `PATCH /api/checks/:id`).
 * Each of them hands over the answers as they came (text from flags and forms, JSON values from
 * the API) and gets back the answers to store, or a {@link CheckInputError} whose `problem` says
 * which answer is wrong and how, for each surface to word in its own terms (`--pain` on the command
 * line, `pain` in the form and the API). The same rules everywhere:
 * - pain: a whole number from 0 to 10 (`" 3 "` and `"03"` read as 3); blank is not given; or a
 *   range as answered ("4-5", "4–5", "6+", "6 or more", or `{from, to}`), kept as the range with
 *   its upper bound as the pain the rules read (issue 23: ranges stay ranges);
 * - where: front, inside, outside, back, as a list or comma-separated, any case, blanks ignored;
 *   required when pain is above 0;
 * - knee: left, right or both, any case; blank or null is not said;
 * - note: text of at most {@link MAX_NOTE_CHARS} characters, trimmed; blank is none;
 * - the yes/no answers: true or false; null is false;
 * - the return test (walkOk, squatOk, stairsOk: pain-free walking, squatting, stairs): true or
 *   false; null is not asked.
 */
import type { CheckAnswers } from './checks.ts';
import {
  KNEE_FLAGS,
  KNEE_LOCATIONS,
  KNEE_SIDES,
  NO_KNEE_FLAGS,
  type KneeFlag,
  type KneeLocation,
  type KneeSide,
  type PainRange,
} from './model.ts';
import { cleanText, TEXT_LIMITS } from './bounds.ts';

/** Longest note kept, characters: the one notes bound (src/bounds.ts), everywhere. */
export const MAX_NOTE_CHARS = TEXT_LIMITS.note;
/** What a pain answer must be. */
export const PAIN_EXPECTED =
  'expected a whole number from 0 (no pain) to 10 (worst imaginable), or a range such as 4-5 or "6 or more"';

/** The guide's return test after a stop, as the API and the form name it. */
export const RETURN_TEST = ['walkOk', 'squatOk', 'stairsOk'] as const;
export type ReturnTestField = (typeof RETURN_TEST)[number];

/** An answer of a check, as the API and the form name it. */
export type CheckField = 'pain' | 'where' | 'knee' | 'note' | KneeFlag | ReturnTestField;

/** The answers as they came: each absent when not given (an edit then keeps the current one). */
export type RawCheckAnswers = Partial<Record<CheckField, unknown>>;

/** Which answer is wrong, and how. */
export type CheckProblem =
  | { field: 'pain'; kind: 'missing' }
  | { field: 'pain'; kind: 'not-0-10'; got: unknown }
  /** Pain above 0 and no place given. */
  | { field: 'where'; kind: 'missing' }
  /** `got`: the names that are no knee location (or the value, when it is not a list at all). */
  | { field: 'where'; kind: 'unknown'; got: unknown }
  | { field: 'knee'; kind: 'unknown'; got: unknown }
  | { field: 'note'; kind: 'not-text'; got: unknown }
  | { field: 'note'; kind: 'too-long' }
  | { field: KneeFlag | ReturnTestField; kind: 'not-yes-no'; got: unknown };

/** A value shown in a message: as JSON, cut at 60 characters. */
export const show = (v: unknown): string => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

const LOCATIONS_TEXT = KNEE_LOCATIONS.join(', ');

/** The words of a problem as the API and the form say them (`field: …`). */
function words(p: CheckProblem): string {
  switch (p.kind) {
    case 'missing':
      return p.field === 'pain'
        ? `is required: ${PAIN_EXPECTED}`
        : `is required when pain is above 0: where does the knee hurt? One or more of ${LOCATIONS_TEXT}`;
    case 'not-0-10':
      return `${PAIN_EXPECTED}, got ${show(p.got)}`;
    case 'unknown':
      return p.field === 'where'
        ? `expected a list of ${LOCATIONS_TEXT}, got ${show(p.got)}`
        : `expected one of ${KNEE_SIDES.map((k) => JSON.stringify(k)).join(', ')} or null (not said), got ${show(p.got)}`;
    case 'not-text':
      return `expected text, got ${show(p.got)}`;
    case 'too-long':
      return `expected at most ${MAX_NOTE_CHARS} characters`;
    case 'not-yes-no':
      return `expected true or false, got ${show(p.got)}`;
  }
}

/** A check that cannot be stored: `field` names the part that is wrong. */
export class CheckInputError extends Error {
  readonly field: string;
  /** What is wrong with an answer; null for the request around the answers (body, run id). */
  readonly problem: CheckProblem | null;
  constructor(field: string, message: string, problem: CheckProblem | null = null) {
    super(`${field}: ${message}`);
    this.name = 'CheckInputError';
    this.field = field;
    this.problem = problem;
  }
}

const wrong = (p: CheckProblem): never => {
  throw new CheckInputError(p.field, words(p), p);
};

const blank = (v: unknown): boolean => typeof v === 'string' && v.trim() === '';

const isPain = (n: unknown): n is number =>
  typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 10;

/** A pain answer: exact, or a range kept as said (its top is the pain the rules read). */
function pain(v: unknown): { pain: number; painRange: PainRange | null } {
  if (v === undefined || v === null || blank(v)) return wrong({ field: 'pain', kind: 'missing' });
  const bad = () => wrong({ field: 'pain', kind: 'not-0-10', got: v });
  let from: unknown;
  let to: unknown;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    const m =
      /^(\d+)$/.exec(t) ?? /^(\d+)\s*[-–]\s*(\d+)$/.exec(t) ?? /^(\d+)\s*(\+|or more)$/.exec(t);
    if (!m) return bad();
    from = Number(m[1]);
    to = m[2] === undefined ? from : m[2] === '+' || m[2] === 'or more' ? 10 : Number(m[2]);
  } else if (typeof v === 'object' && !Array.isArray(v)) {
    from = (v as Record<string, unknown>).from;
    to = (v as Record<string, unknown>).to;
  } else from = to = v;
  if (!isPain(from) || !isPain(to) || from > to) return bad();
  return { pain: to, painRange: from === to ? null : { from, to } };
}

function answered(f: ReturnTestField, v: unknown): boolean | null {
  if (v === null || blank(v)) return null;
  return typeof v === 'boolean' ? v : wrong({ field: f, kind: 'not-yes-no', got: v });
}

const isLocation = (v: unknown): v is KneeLocation => KNEE_LOCATIONS.some((l) => l === v);
const isSide = (v: unknown): v is KneeSide => KNEE_SIDES.some((s) => s === v);

function where(v: unknown, painValue: number): KneeLocation[] {
  let parts: unknown[];
  if (v === undefined || v === null) parts = [];
  else if (typeof v === 'string') parts = v.split(',');
  else if (Array.isArray(v)) parts = v;
  else return wrong({ field: 'where', kind: 'unknown', got: v });
  const names = parts
    .map((p) => (typeof p === 'string' ? p.trim().toLowerCase() : p))
    .filter((p) => p !== '');
  const unknown = names.filter((p) => !isLocation(p));
  if (unknown.length > 0) return wrong({ field: 'where', kind: 'unknown', got: unknown });
  if (names.length === 0 && painValue > 0) return wrong({ field: 'where', kind: 'missing' });
  return KNEE_LOCATIONS.filter((l) => names.includes(l));
}

function knee(v: unknown): KneeSide | null {
  if (v === null || blank(v)) return null;
  const side = typeof v === 'string' ? v.trim().toLowerCase() : v;
  return isSide(side) ? side : wrong({ field: 'knee', kind: 'unknown', got: v });
}

function note(v: unknown): string | null {
  if (v === null) return null;
  if (typeof v !== 'string') return wrong({ field: 'note', kind: 'not-text', got: v });
  const t = cleanText(v);
  if (t.length > MAX_NOTE_CHARS) return wrong({ field: 'note', kind: 'too-long' });
  return t === '' ? null : t;
}

function flag(f: KneeFlag, v: unknown): boolean {
  if (v === null) return false;
  return typeof v === 'boolean' ? v : wrong({ field: f, kind: 'not-yes-no', got: v });
}

/**
 * The answers of a check from the answers as they came. Without `current` (a new check) pain is
 * required and the rest defaults to none; with it (an edit) an answer not given stays as it is,
 * and the result is checked as a whole (more pain needs a place). Answers are read in the order
 * yes/no answers, pain, where, knee, note; the first wrong one throws a {@link CheckInputError}.
 */
export function parseCheckAnswers(raw: RawCheckAnswers, current?: CheckAnswers): CheckAnswers {
  const flags: Record<KneeFlag, boolean> = { ...NO_KNEE_FLAGS };
  for (const f of KNEE_FLAGS) {
    const v = raw[f];
    flags[f] = v === undefined ? (current?.[f] ?? false) : flag(f, v);
  }
  const given =
    raw.pain === undefined && current
      ? { pain: current.pain, painRange: current.painRange ?? null }
      : pain(raw.pain);
  const p = given.pain;
  const tests = {} as Record<ReturnTestField, boolean | null>;
  for (const f of RETURN_TEST)
    tests[f] = raw[f] === undefined ? (current?.[f] ?? null) : answered(f, raw[f]);
  return {
    ...given,
    ...tests,
    where: where(raw.where === undefined && current ? current.where : raw.where, p),
    knee: raw.knee === undefined ? (current?.knee ?? null) : knee(raw.knee),
    ...flags,
    note: raw.note === undefined ? (current?.note ?? null) : note(raw.note),
  };
}

import {
  CheckInputError,
  MAX_NOTE_CHARS,
  parseCheckAnswers,
  RETURN_TEST,
  show,
  type RawCheckAnswers,
} from '../check-input.ts';
import type { CheckAnswers, CheckInput } from '../checks.ts';
import { KNEE_FLAGS, type KneeLocation } from '../model.ts';

export { CheckInputError, MAX_NOTE_CHARS };

/** A knee check as submitted over HTTP: the run it is about and the answers. */
export interface CheckRequest {
  runId: string | null;
  input: CheckInput;
}

/** The yes/no answers, as named in the JSON body and the form. */
export const FLAG_FIELDS = KNEE_FLAGS;

/** The guide's return test after a stop, as named in the JSON body and the form. */
export const RETURN_TEST_FIELDS = RETURN_TEST;

const ANSWERS = ['pain', 'where', 'knee', 'note', ...FLAG_FIELDS, ...RETURN_TEST] as const;
const KNOWN = new Set<string>(['runId', ...ANSWERS]);

function runId(v: unknown): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string' || v.length > 200) {
    throw new CheckInputError(
      'runId',
      `expected a run id such as "fit:1a2b3c4d5e6f", got ${show(v)}`,
    );
  }
  return v;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function jsonObject(body: unknown, known: ReadonlySet<string>): Record<string, unknown> {
  if (!isObject(body)) {
    throw new CheckInputError(
      'body',
      'expected a JSON object such as {"pain": 2, "where": ["front"], "knee": "left"}',
    );
  }
  const o = body;
  const extra = Object.keys(o).find((k) => !known.has(k));
  if (extra !== undefined) {
    throw new CheckInputError(extra, `unknown field; expected one of ${[...known].join(', ')}`);
  }
  return o;
}

/**
 * `POST /api/checks`: `{runId?, pain, where[], knee?, swelling?, …, note?}`; unknown fields are
 * refused. `via` is set by the route, never taken from the body. The answers are read by the one
 * check parser (src/check-input.ts) the command line and the form use too.
 */
export function parseCheckJson(body: unknown): CheckRequest {
  const o = jsonObject(body, KNOWN);
  const input = parseCheckAnswers(o);
  return { runId: runId(o.runId), input };
}

/**
 * `PATCH /api/checks/:id`: only the answers given change (`runId` cannot); the result is
 * validated as a whole, as `POST /api/checks` validates a new check.
 */
export function patchCheckJson(body: unknown, current: CheckAnswers): CheckAnswers {
  return parseCheckAnswers(jsonObject(body, new Set<string>(ANSWERS)), current);
}

/** The HTML form's fields (urlencoded; a checked box is present, an unchecked one absent). */
export type FormFields = Record<string, string | string[] | undefined>;

/** The value of a `where` box of the form: the knee and the place, e.g. `left:front`. */
export const whereValue = (side: 'left' | 'right', l: KneeLocation): string => `${side}:${l}`;

/**
 * The knee-check form (the run comes from the address). The form has a left and a right knee,
 * each with the four places (`where=left:front`, …): the knee is the side (or both sides) ticked,
 * and not said when nothing is ticked. A plain `where=front` (no side) is read too.
 */
export function parseCheckForm(form: FormFields): CheckAnswers {
  const one = (k: string): string | undefined => {
    const v = form[k];
    return Array.isArray(v) ? v[0] : v;
  };
  const w = form.where;
  const ticked = Array.isArray(w) ? w : w === undefined ? [] : [w];
  const sides = new Set<string>();
  const places = ticked.map((t) => {
    const m = /^(left|right):(.*)$/.exec(t);
    if (!m) return t;
    sides.add(m[1] ?? '');
    return m[2] ?? '';
  });
  const raw: RawCheckAnswers = {
    pain: one('pain') ?? null,
    where: places,
    knee:
      sides.size === 2 ? 'both' : sides.has('left') ? 'left' : sides.has('right') ? 'right' : null,
    note: one('note') ?? null,
  };
  for (const f of FLAG_FIELDS) raw[f] = one(f) !== undefined;
  // The return test: a box ticked is pain-free; with none ticked it was not answered (null).
  const tested = RETURN_TEST.some((f) => one(f) !== undefined);
  for (const f of RETURN_TEST) raw[f] = tested ? one(f) !== undefined : null;
  return parseCheckAnswers(raw);
}

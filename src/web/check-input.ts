import type { CheckAnswers, CheckInput } from '../checks.ts';
import {
  KNEE_FLAGS,
  KNEE_LOCATIONS,
  KNEE_SIDES,
  type KneeFlag,
  type KneeLocation,
  type KneeSide,
} from '../model.ts';

/** A knee check as submitted over HTTP: the run it is about and the answers. */
export interface CheckRequest {
  runId: string | null;
  input: CheckInput;
}

/** A submitted check that cannot be stored: `field` names the part that is wrong. */
export class CheckInputError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'CheckInputError';
    this.field = field;
  }
}

/** The yes/no answers, as named in the JSON body and the form. */
export const FLAG_FIELDS = KNEE_FLAGS;
type Flag = KneeFlag;

const ANSWERS = ['pain', 'where', 'knee', 'note', ...FLAG_FIELDS] as const;
const KNOWN = new Set<string>(['runId', ...ANSWERS]);
/** Longest note kept, characters. */
export const MAX_NOTE_CHARS = 2000;
const PAIN_EXPECTED = 'expected a whole number from 0 (no pain) to 10 (worst imaginable)';
const WHERE_EXPECTED = `expected a list of ${KNEE_LOCATIONS.join(', ')}`;
const KNEE_EXPECTED = `expected one of ${KNEE_SIDES.map((k) => JSON.stringify(k)).join(', ')} or null (not said)`;

const show = (v: unknown): string => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

function pain(v: unknown): number {
  if (v === undefined || v === null || v === '') {
    throw new CheckInputError('pain', `is required: ${PAIN_EXPECTED}`);
  }
  const n = typeof v === 'string' && /^\s*\d{1,2}\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 10) {
    throw new CheckInputError('pain', `${PAIN_EXPECTED}, got ${show(v)}`);
  }
  return n;
}

function where(v: unknown, painValue: number): KneeLocation[] {
  let parts: unknown[];
  if (v === undefined || v === null) parts = [];
  else if (typeof v === 'string') parts = v.split(',').filter((s) => s.trim() !== '');
  else if (Array.isArray(v)) parts = v;
  else throw new CheckInputError('where', `${WHERE_EXPECTED}, got ${show(v)}`);
  const names = parts.map((p) => (typeof p === 'string' ? p.trim().toLowerCase() : p));
  const unknown = names.filter((p) => !(KNEE_LOCATIONS as readonly unknown[]).includes(p));
  if (unknown.length > 0) {
    throw new CheckInputError('where', `${WHERE_EXPECTED}, got ${show(unknown)}`);
  }
  if (names.length === 0 && painValue > 0) {
    throw new CheckInputError(
      'where',
      `is required when pain is above 0: where does the knee hurt? One or more of ${KNEE_LOCATIONS.join(', ')}`,
    );
  }
  return KNEE_LOCATIONS.filter((l) => names.includes(l));
}

function knee(v: unknown): KneeSide | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'string' && (KNEE_SIDES as readonly string[]).includes(v)) return v as KneeSide;
  throw new CheckInputError('knee', `${KNEE_EXPECTED}, got ${show(v)}`);
}

function note(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new CheckInputError('note', `expected text, got ${show(v)}`);
  const t = v.trim();
  if (t.length > MAX_NOTE_CHARS) {
    throw new CheckInputError('note', `expected at most ${MAX_NOTE_CHARS} characters`);
  }
  return t === '' ? null : t;
}

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

function jsonObject(body: unknown, known: ReadonlySet<string>): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new CheckInputError(
      'body',
      'expected a JSON object such as {"pain": 2, "where": ["front"], "knee": "left"}',
    );
  }
  const o = body as Record<string, unknown>;
  const extra = Object.keys(o).find((k) => !known.has(k));
  if (extra !== undefined) {
    throw new CheckInputError(extra, `unknown field; expected one of ${[...known].join(', ')}`);
  }
  return o;
}

/**
 * `POST /api/checks`: `{runId?, pain, where[], knee?, swelling?, …, note?}`; unknown fields are
 * refused. `via` is set by the route, never taken from the body.
 */
export function parseCheckJson(body: unknown): CheckRequest {
  const o = jsonObject(body, KNOWN);
  const flags = {} as Record<Flag, boolean>;
  for (const f of FLAG_FIELDS) {
    const v = o[f];
    if (v !== undefined && v !== null && typeof v !== 'boolean') {
      throw new CheckInputError(f, `expected true or false, got ${show(v)}`);
    }
    flags[f] = v === true;
  }
  const p = pain(o.pain);
  return {
    runId: runId(o.runId),
    input: {
      pain: p,
      where: where(o.where, p),
      knee: knee(o.knee),
      ...flags,
      note: note(o.note),
    },
  };
}

/**
 * `PATCH /api/checks/:id`: only the answers given change (`runId` cannot); the result is
 * validated as a whole, as `POST /api/checks` validates a new check.
 */
export function patchCheckJson(body: unknown, current: CheckAnswers): CheckAnswers {
  const o = jsonObject(body, new Set<string>(ANSWERS));
  const flags = {} as Record<Flag, boolean>;
  for (const f of FLAG_FIELDS) {
    const v = o[f];
    if (v === undefined) flags[f] = current[f];
    else if (typeof v === 'boolean') flags[f] = v;
    else throw new CheckInputError(f, `expected true or false, got ${show(v)}`);
  }
  const p = o.pain === undefined ? current.pain : pain(o.pain);
  return {
    pain: p,
    where: where(o.where === undefined ? current.where : o.where, p),
    knee: o.knee === undefined ? current.knee : knee(o.knee),
    ...flags,
    note: o.note === undefined ? current.note : note(o.note),
  };
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
  const p = pain(one('pain'));
  const w = form.where;
  const ticked = Array.isArray(w) ? w : w === undefined ? [] : [w];
  const sides = new Set<string>();
  const places = ticked.map((t) => {
    const m = /^(left|right):(.*)$/.exec(t);
    if (!m) return t;
    sides.add(m[1] ?? '');
    return m[2] ?? '';
  });
  const flags = {} as Record<Flag, boolean>;
  for (const f of FLAG_FIELDS) flags[f] = one(f) !== undefined;
  return {
    pain: p,
    where: where(places, p),
    knee:
      sides.size === 2 ? 'both' : sides.has('left') ? 'left' : sides.has('right') ? 'right' : null,
    ...flags,
    note: note(one('note') ?? null),
  };
}

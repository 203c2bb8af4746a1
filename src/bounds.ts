/**
 * One bound per field, shared by the command line, the web form and the JSON API (issue 21 item
 * 14: `cleared --note` took 100,000 characters where the web took 500). Entry points clean a text
 * with {@link cleanText} and compare its length with {@link TEXT_LIMITS}, each answering in its
 * own way (exit 2 with the flag named, a 400 with the field named).
 */

/** Longest text of each field, in characters (UTF-16 code units, as the browser's maxlength counts). */
export const TEXT_LIMITS = {
  /** A knee check's note and a "seen by a clinician" note. */
  note: 500,
  /** Why a run is left out of the figures. */
  reason: 200,
  /** What the runner calls a pair of shoes. */
  shoeName: 80,
} as const;

/** A field with a {@link TEXT_LIMITS} bound. */
export type TextField = keyof typeof TEXT_LIMITS;

/** NUL and UTF-16 surrogates that are not half of a pair (they cannot be stored as UTF-8). */
// eslint-disable-next-line no-control-regex -- NUL is what is matched
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `value` trimmed, without NUL and lone surrogates (stripped: SQLite and UTF-8 files cannot hold
 * a lone surrogate, and a NUL cuts C strings short). The length is not checked here: see
 * {@link textTooLong}.
 */
export function cleanText(value: string): string {
  return value.replace(UNSTORABLE, '').trim();
}

/** Is the (cleaned) `text` longer than its field allows? */
export const textTooLong = (field: TextField, text: string): boolean =>
  text.length > TEXT_LIMITS[field];

/** "expected at most 500 characters" for `field`. */
export const tooLongText = (field: TextField): string =>
  `expected at most ${TEXT_LIMITS[field]} characters`;

/**
 * Text from outside (notes, device, shoe and athlete names, Strava's words) made safe to print on
 * a terminal (issue 21 item 12): escape sequences (CSI, OSC, DCS and the like, 7- and 8-bit),
 * C0 and C1 control characters but newline and tab, and the bidirectional overrides and isolates
 * that make text read differently from how it is stored (U+202A–202E, U+2066–2069, U+061C) are
 * removed. JSON output never goes through this: it stays exact.
 */

/** ESC or 8-bit CSI/OSC/DCS/SOS/PM/APC sequences: CSI with its parameters, string sequences to their end. */
const SEQUENCES = new RegExp(
  [
    // CSI: ESC [ or 0x9B, parameters, intermediates, a final byte.
    '(?:\\u001b\\[|\\u009b)[\\u0030-\\u003f]*[\\u0020-\\u002f]*[\\u0040-\\u007e]?',
    // OSC, DCS, SOS, PM, APC: up to BEL or ST (ESC \ or 0x9C), or the end of the text.
    '(?:\\u001b[\\]PX^_]|[\\u0090\\u0098\\u009d-\\u009f])[^\\u0007\\u001b\\u009c]*(?:\\u0007|\\u001b\\\\|\\u009c)?',
    // Any other escape: ESC and the byte after it.
    '\\u001b[\\u0020-\\u007e]?',
  ].join('|'),
  'g',
);
/** C0 controls but tab (09) and newline (0A), DEL, C1 controls, bidi overrides and isolates. */
const CONTROLS = new RegExp(
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  '[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u202a-\\u202e\\u2066-\\u2069]',
  'g',
);

/**
 * `text` without escape sequences, control characters (but `\n` and `\t`) and bidi overrides;
 * with `oneLine`, newlines and tabs become spaces too (a table cell, a quoted note).
 */
export function terminalText(text: string, opts: { oneLine?: boolean } = {}): string {
  const clean = text.replace(SEQUENCES, '').replace(CONTROLS, '');
  return opts.oneLine ? clean.replace(/[\n\t]+/g, ' ') : clean;
}

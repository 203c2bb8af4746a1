import type { Advice, AdviceLevel, Because } from '../model.ts';

/** The closing line of every piece of advice shown to a person. */
export const NOT_A_DIAGNOSIS =
  'kneecheck gives guidance, not a diagnosis: see a clinician when in doubt.';

export const LEVEL_LABEL: Record<AdviceLevel, string> = {
  'see-doctor': 'SEE A CLINICIAN',
  stop: 'STOP RUNNING FOR NOW',
  'ease-off': 'EASE OFF',
  caution: 'CAUTION',
  ok: 'OK',
};

/** A value of a `because` entry for people: numbers without float noise, booleans as yes/no. */
export function formatBecauseValue(value: Because['value'] | Because['threshold']): string {
  if (value === null) return '–';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(Math.round(value * 100) / 100);
  return value;
}

/** One reason: "signal: value (threshold X, source S)". */
export function becauseLine(b: Because): string {
  const threshold = b.threshold === null ? '' : `threshold ${formatBecauseValue(b.threshold)}, `;
  return `${b.signal}: ${formatBecauseValue(b.value)} (${threshold}source ${b.source})`;
}

/**
 * Word-wraps `text` to `width` columns: the first line starts with `first`, the others with
 * `rest`.
 */
export function wrap(text: string, width: number, first = '', rest = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line = empty ? line + word : `${line} ${word}`;
    }
    empty = false;
  }
  if (!empty) lines.push(line);
  return lines;
}

/**
 * The advice as text for people: the level and headline, each suggestion with its reasons, and
 * the reminder that this is guidance, not a diagnosis. Lines wrap at `width` columns; ends with a
 * newline.
 */
export function adviceText(advice: Advice, width = 100): string {
  const lines = [
    ...wrap(`${LEVEL_LABEL[advice.level]} (${advice.level}): ${advice.headline}`, width),
    '',
  ];
  advice.suggestions.forEach((s, i) => {
    const number = `${i + 1}. `;
    const pad = ' '.repeat(number.length);
    lines.push(...wrap(`${s.message} [${s.code}]`, width, number, pad));
    for (const b of s.because) {
      lines.push(...wrap(`because ${becauseLine(b)}`, width, pad, `${pad}  `));
    }
  });
  if (advice.suggestions.length > 0) lines.push('');
  lines.push(NOT_A_DIAGNOSIS);
  return `${lines.join('\n')}\n`;
}

/** The width to wrap human output at: the terminal's, at most 100 columns. */
export const textWidth = (stream: NodeJS.WriteStream): number =>
  Math.max(40, Math.min(stream.columns || 100, 100));

import { sourceOf } from '../advice/sources.ts';
import { CLEAR_BUTTON, DELETE_BUTTON } from '../advice/words.ts';
import type { Advice, AdviceLevel, Because } from '../model.ts';
import { terminalText } from './terminal.ts';

/** The closing line of every piece of advice shown to a person. */
export const NOT_A_DIAGNOSIS =
  'kneecheck gives guidance, not a diagnosis: see a clinician when in doubt.';

/** Each advice level in words, the one list for the CLI, the web and the notifications. */
export const LEVEL_LABEL: Record<AdviceLevel, string> = {
  'see-doctor': 'See a clinician',
  stop: 'Stop running for now',
  'ease-off': 'Ease off',
  caution: 'Caution',
  ok: 'OK',
};

/** A value of a `because` entry for people: numbers without float noise, booleans as yes/no. */
export function formatBecauseValue(value: Because['value'] | Because['threshold']): string {
  if (value === null) return '–';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(Math.round(value * 100) / 100);
  return value;
}

/**
 * One reason, in words: "this run against your longest of the 30 days before (ratio): 1.5
 * (threshold 1.3; Frandsen et al. 2025 [RUNSAFE-2025])".
 */
export function becauseLine(b: Because): string {
  const t = b.threshold;
  // A number is a threshold ("threshold 1.3"); words say themselves ("more than 7"), and "of 6"
  // belongs to the value ("2 of 6"), never "threshold of 6".
  const of = typeof t === 'string' && t.startsWith('of ');
  const threshold =
    t === null || t === 'reported' || of
      ? ''
      : typeof t === 'string'
        ? `${t}; `
        : `threshold ${formatBecauseValue(t)}; `;
  const source = sourceOf(b.source);
  const named =
    source && source.key !== 'kneecheck'
      ? `${source.short} [${b.source}]`
      : (source?.short ?? b.source);
  return `${b.label}: ${formatBecauseValue(b.value)}${of ? ` ${t}` : ''} (${threshold}${named})`;
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
  // The headline opens with what to do ("Ease off: …"), so the level is not said twice.
  const lines = [...wrap(advice.headline, width), ''];
  advice.suggestions.forEach((s, i) => {
    const number = `${i + 1}. `;
    const pad = ' '.repeat(number.length);
    lines.push(...wrap(s.message, width, number, pad));
    for (const b of s.because) {
      lines.push(...wrap(`because ${becauseLine(b)}`, width, pad, `${pad}  `));
    }
  });
  if (advice.suggestions.length > 0) {
    lines.push('');
    // The advice names the dashboard's buttons; on the command line they are commands.
    if (advice.suggestions.some((s) => s.message.includes(CLEAR_BUTTON)))
      lines.push(
        ...wrap(
          `On the command line: "${CLEAR_BUTTON}" is \`kneecheck cleared\`; "${DELETE_BUTTON}" is \`kneecheck check delete <id>\` (\`kneecheck checks\` lists the ids).`,
          width,
        ),
      );
    lines.push('Sources in full, with links: kneecheck sources');
  }
  lines.push(NOT_A_DIAGNOSIS);
  // Facts may quote outside text (a shoe's name, a note): safe for a terminal.
  return terminalText(`${lines.join('\n')}\n`);
}

/**
 * What a correction prints (issue 23: at most 3 lines): what changed, the new headline, and where
 * the whole advice is. Lines are not wrapped, so each stays one line.
 */
export function correctionText(changed: string, advice: Advice): string {
  return `${changed}\nAdvice now: ${advice.headline}\nThe whole advice: kneecheck advice\n`;
}

/** The width to wrap human output at: the terminal's, at most 100 columns. */
export const textWidth = (stream: { readonly columns?: number }): number =>
  Math.max(40, Math.min(stream.columns || 100, 100));

import { painWords } from '../advice/words.ts';
import {
  deleteCheck,
  recordClearance,
  undoDelete,
  type Changed,
  type RecordedCheck,
} from '../checks.ts';
import { EXIT, KneecheckError } from '../errors.ts';
import { kneeWords } from '../format.ts';
import { unixOfLocal } from '../load/zone.ts';
import type { KneeCheck } from '../model.ts';
import { notifyCheck } from '../notify/index.ts';
import type { Store } from '../store/index.ts';
import { SOURCES } from '../advice/sources.ts';
import { correctionText, textWidth, wrap } from '../present/advice-text.ts';
import { flagWords } from './check.ts';
import { printJson, type CommandContext } from './context.ts';
import { terminalText } from '../present/terminal.ts';
import { cleanText, textTooLong, tooLongText } from '../bounds.ts';

/** "12  2026-11-24 18:00  run fit:1a2b…  left knee  pain 2/10  front; swelling". */
function checkLine(c: KneeCheck, zone: string): string {
  const at = new Date(c.checkedAt).toLocaleString('sv-SE', { timeZone: zone }).slice(0, 16);
  const flags = flagWords(c);
  return [
    String(c.id).padStart(4),
    at,
    c.runId ? `run ${c.runId}` : 'no run',
    kneeWords(c.knee),
    `pain ${painWords(c)}`,
    [c.where.join(','), flags.join(', ')].filter(Boolean).join('; '),
    c.note ? `"${terminalText(c.note, { oneLine: true })}"` : '',
  ]
    .filter(Boolean)
    .join('  ');
}

/** `kneecheck checks [--since D]`: the knee checks, oldest first. */
export function checksCommand(
  opts: { since?: string; json?: boolean },
  ctx: CommandContext,
): number {
  const now = ctx.now();
  const since = opts.since === undefined ? undefined : unixOfLocal(opts.since, ctx.config.timezone);
  if (since === null) {
    throw new KneecheckError(
      `--since: expected a date like 2026-11-01, got ${JSON.stringify(opts.since)}`,
    );
  }
  const store = ctx.openStore();
  try {
    const all = store.checks.list(Math.floor(now.getTime() / 1000));
    const list =
      since === undefined ? all : all.filter((c) => Date.parse(c.checkedAt) / 1000 >= since);
    if (opts.json) printJson(ctx, list);
    else if (list.length === 0)
      ctx.stdout.write('No knee checks yet: `kneecheck check --pain 0` records one.\n');
    else ctx.stdout.write(`${list.map((c) => checkLine(c, ctx.config.timezone)).join('\n')}\n`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}

/**
 * Runs one change to the record (delete, undo, clearance) on the store and prints what it did and
 * the advice now; `--json` prints `{<key>: value, advice}`.
 */
async function change<T>(
  ctx: CommandContext,
  json: boolean | undefined,
  key: 'check' | 'clearance',
  apply: (store: Store) => Changed<T>,
  said: (value: T) => string,
): Promise<number> {
  const store = ctx.openStore();
  try {
    const r = apply(store);
    // Like a new check, a change that makes the level worse (an undo bringing a red flag back)
    // is told on the notification channels; notifyCheck reads only run, before and advice.
    const change = { run: null, before: r.before, advice: r.advice };
    await notifyCheck(
      { store, config: ctx.config, now: ctx.now, log: ctx.log },
      change as RecordedCheck,
    );
    if (json) printJson(ctx, { [key]: r.value, advice: r.advice });
    else ctx.stdout.write(correctionText(said(r.value), r.advice));
    return EXIT.ok;
  } finally {
    store.close();
  }
}

/** `kneecheck check delete <id>`: a check entered by mistake; `check undo` brings it back. */
export function checkDeleteCommand(
  id: string,
  opts: { json?: boolean },
  ctx: CommandContext,
): Promise<number> {
  if (!/^\d+$/.test(id.trim())) {
    throw new KneecheckError(
      `check delete: expected a check id (a whole number; \`kneecheck checks\` lists them), got ${JSON.stringify(id)}`,
    );
  }
  return change(
    ctx,
    opts.json,
    'check',
    (store) => deleteCheck(store, ctx.config, ctx.now(), Number(id)),
    (c: KneeCheck) =>
      `Deleted knee check ${c.id} (\`kneecheck check undo\` brings it back within 30 days).`,
  );
}

export function checkUndoCommand(opts: { json?: boolean }, ctx: CommandContext): Promise<number> {
  return change(
    ctx,
    opts.json,
    'check',
    (store) => undoDelete(store, ctx.config, ctx.now()),
    (c: KneeCheck) => `Brought back knee check ${c.id}.`,
  );
}

/** `kneecheck cleared [--note T]`: a clinician has seen the knee; standing red flags end here. */
export function clearedCommand(
  opts: { note?: string; json?: boolean },
  ctx: CommandContext,
): Promise<number> {
  const note = cleanText(opts.note ?? '') || null;
  if (note !== null && textTooLong('note', note)) {
    return Promise.reject(new KneecheckError(`--note: ${tooLongText('note')}`));
  }
  return change(
    ctx,
    opts.json,
    'clearance',
    (store) => recordClearance(store, ctx.config, ctx.now(), note),
    () =>
      'Recorded that a clinician has seen your knee: red flags reported before now no longer hold the advice.',
  );
}

/** `kneecheck sources`: the evidence each `because` points to, in full. */
export function sourcesCommand(opts: { json?: boolean }, ctx: CommandContext): number {
  if (opts.json) {
    printJson(ctx, SOURCES);
    return EXIT.ok;
  }
  const width = textWidth(ctx.stdout);
  const lines: string[] = [];
  for (const s of SOURCES) {
    lines.push(s.key);
    lines.push(...wrap(s.citation, width, '  ', '  '));
    lines.push(...wrap(`Found: ${s.finding}`, width, '  ', '  '));
    lines.push(...wrap(`Weight: ${s.strength}`, width, '  ', '  '));
    if (s.link) lines.push(`  ${s.link}`);
    lines.push('');
  }
  ctx.stdout.write(`${lines.join('\n')}`);
  return EXIT.ok;
}

import { deleteCheck, recordClearance, undoDelete } from '../checks.ts';
import { EXIT, KneecheckError } from '../errors.ts';
import { unixOfLocal } from '../load/zone.ts';
import type { Advice, KneeCheck } from '../model.ts';
import { SOURCES } from '../advice/sources.ts';
import { adviceText, textWidth, wrap } from './advice-text.ts';
import { printJson, type CommandContext } from './context.ts';

/** "12  2026-11-24 18:00  run fit:1a2b…  pain 2/10  front; swelling". */
function checkLine(c: KneeCheck, zone: string): string {
  const at = new Date(c.checkedAt).toLocaleString('sv-SE', { timeZone: zone }).slice(0, 16);
  const flags = [
    c.swelling && 'swelling',
    c.locking && 'locking',
    c.givingWay && 'giving way',
    c.sharp && 'sharp',
    c.changedGait && 'changed gait',
    c.cannotBearWeight && 'cannot bear weight',
    c.hotRedFever && 'hot, red, fever',
  ].filter((f): f is string => typeof f === 'string');
  return [
    String(c.id).padStart(4),
    at,
    c.runId ? `run ${c.runId}` : 'no run',
    `pain ${c.pain}/10`,
    [c.where.join(','), flags.join(', ')].filter(Boolean).join('; '),
    c.note ? `"${c.note}"` : '',
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

function printChange(
  ctx: CommandContext,
  said: string,
  advice: Advice,
  json: unknown,
  asJson?: boolean,
) {
  if (asJson) printJson(ctx, json);
  else ctx.stdout.write(`${said}\n\n${adviceText(advice, textWidth(ctx.stdout))}`);
}

/** `kneecheck check delete <id>`: a check entered by mistake; `check undo` brings it back. */
export function checkDeleteCommand(
  id: string,
  opts: { json?: boolean },
  ctx: CommandContext,
): number {
  if (!/^\d+$/.test(id.trim())) {
    throw new KneecheckError(
      `check delete: expected a check id (a whole number; \`kneecheck checks\` lists them), got ${JSON.stringify(id)}`,
    );
  }
  const store = ctx.openStore();
  try {
    const r = deleteCheck(store, ctx.config, ctx.now(), Number(id));
    printChange(
      ctx,
      `Deleted knee check ${r.value.id} (\`kneecheck check undo\` brings it back within 30 days).`,
      r.advice,
      { check: r.value, advice: r.advice },
      opts.json,
    );
    return EXIT.ok;
  } finally {
    store.close();
  }
}

export function checkUndoCommand(opts: { json?: boolean }, ctx: CommandContext): number {
  const store = ctx.openStore();
  try {
    const r = undoDelete(store, ctx.config, ctx.now());
    printChange(
      ctx,
      `Brought back knee check ${r.value.id}.`,
      r.advice,
      { check: r.value, advice: r.advice },
      opts.json,
    );
    return EXIT.ok;
  } finally {
    store.close();
  }
}

/** `kneecheck cleared [--note T]`: a clinician has seen the knee; standing red flags end here. */
export function clearedCommand(
  opts: { note?: string; json?: boolean },
  ctx: CommandContext,
): number {
  const store = ctx.openStore();
  try {
    const note = opts.note?.trim() ? opts.note.trim() : null;
    const r = recordClearance(store, ctx.config, ctx.now(), note);
    printChange(
      ctx,
      'Recorded that a clinician has seen your knee: red flags reported before now no longer hold the advice. Follow what the clinician told you; a new red flag in a later check starts again.',
      r.advice,
      { clearance: r.value, advice: r.advice },
      opts.json,
    );
    return EXIT.ok;
  } finally {
    store.close();
  }
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

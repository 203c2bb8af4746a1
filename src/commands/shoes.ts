import { DateTime } from 'luxon';
import { KneecheckError } from '../errors.ts';
import { table } from '../format.ts';
import type { RunId, Shoe } from '../model.ts';
import { shoeLine } from '../present/shoes.ts';
import type { Store } from '../store/index.ts';
import { BOUNDS, boundMessage, wholeNumberIn } from '../present/limits.ts';
import { printJson, type CommandContext } from './context.ts';
import { terminalText } from '../present/terminal.ts';
import { cleanText, textTooLong, tooLongText } from '../bounds.ts';

function withStore<T>(ctx: CommandContext, fn: (store: Store) => T): T {
  const store = ctx.openStore();
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

function shoeId(text: string): number {
  const n = wholeNumberIn(text, BOUNDS.shoeId);
  if (n === null) throw new KneecheckError(boundMessage('shoe id', BOUNDS.shoeId, text));
  return n;
}

function print(ctx: CommandContext, shoes: Shoe[], replaceAtKm: number, json?: boolean): void {
  if (json) {
    printJson(ctx, { shoes, replaceAtKm });
    return;
  }
  if (shoes.length === 0) {
    ctx.stdout.write(
      'No shoes yet. Add your pair with: kneecheck shoes add "<name>" --since 2026-09-01 --default\n',
    );
    return;
  }
  const rows = shoes.map((s) => shoeLine(s, ctx.config.units));
  ctx.stdout.write(`${table([['id', 'name', 'since', 'distance', 'runs', ''], ...rows])}\n`);
  ctx.stdout.write(
    `kneecheck suggests a new pair from ${replaceAtKm} km: its own rule of thumb, the evidence for a number is weak.\n`,
  );
}

/** `kneecheck shoes`: every pair with its distance. */
export function shoesCommand(opts: { json?: boolean }, ctx: CommandContext): number {
  withStore(ctx, (store) => print(ctx, store.shoes.list(), store.shoes.replaceAtKm(), opts.json));
  return 0;
}

/** `kneecheck shoes add <name> [--since DATE] [--default]`. */
export function shoesAddCommand(
  name: string,
  opts: { since?: string; default?: boolean; json?: boolean },
  ctx: CommandContext,
): number {
  const trimmed = cleanText(name);
  if (!trimmed) throw new KneecheckError('shoes add: give the pair a name, e.g. "blue Pegasus"');
  if (textTooLong('shoeName', trimmed)) {
    throw new KneecheckError(`shoes add: the name is too long: ${tooLongText('shoeName')}`);
  }
  const since =
    opts.since ?? DateTime.fromJSDate(ctx.now()).setZone(ctx.config.timezone).toISODate();
  if (!since || !/^\d{4}-\d\d-\d\d$/.test(since) || !DateTime.fromISO(since).isValid) {
    throw new KneecheckError(
      `--since: expected a date such as 2026-09-01, got ${JSON.stringify(opts.since)}`,
    );
  }
  return withStore(ctx, (store) => {
    const shoe = store.shoes.add(
      { name: trimmed, startedOn: since, isDefault: opts.default === true },
      ctx.now().toISOString(),
    );
    if (opts.json) printJson(ctx, shoe);
    else
      ctx.stdout.write(
        `Added shoes ${shoe.id}: ${terminalText(shoe.name, { oneLine: true })}, since ${shoe.startedOn}${shoe.isDefault ? ' (the pair new runs get)' : ''}.\n`,
      );
    return 0;
  });
}

/** `kneecheck shoes default <id|none>`: the pair new runs get. */
export function shoesDefaultCommand(
  id: string,
  opts: { json?: boolean },
  ctx: CommandContext,
): number {
  const n = id === 'none' ? null : shoeId(id);
  return withStore(ctx, (store) => {
    if (!store.shoes.setDefault(n)) {
      throw new KneecheckError(`no shoes with the id ${n}; \`kneecheck shoes\` lists them`);
    }
    print(ctx, store.shoes.list(), store.shoes.replaceAtKm(), opts.json);
    return 0;
  });
}

/** `kneecheck shoes assign <runId> <id|none>`: the pair a run was run in. */
export function shoesAssignCommand(
  runId: string,
  id: string,
  opts: { json?: boolean },
  ctx: CommandContext,
): number {
  const n = id === 'none' ? null : shoeId(id);
  return withStore(ctx, (store) => {
    if (!store.runs.get(runId as RunId)) {
      throw new KneecheckError(`no run with the id ${runId}; \`kneecheck runs\` lists them`);
    }
    if (n !== null && !store.shoes.get(n)) {
      throw new KneecheckError(`no shoes with the id ${n}; \`kneecheck shoes\` lists them`);
    }
    store.shoes.assign(runId as RunId, n, 'user');
    const now = store.shoes.ofRun(runId as RunId);
    if (opts.json) printJson(ctx, { runId, shoe: now?.shoe ?? null });
    else {
      const name = now ? terminalText(now.shoe.name, { oneLine: true }) : 'no shoes';
      ctx.stdout.write(`Run ${terminalText(runId, { oneLine: true })}: ${name}.\n`);
    }
    return 0;
  });
}

/** `kneecheck shoes replace-at <km>`: where the replace-shoes tip starts. */
export function shoesReplaceAtCommand(
  km: string,
  opts: { json?: boolean },
  ctx: CommandContext,
): number {
  const n = wholeNumberIn(km, BOUNDS.shoeKm);
  if (n === null) throw new KneecheckError(boundMessage('replace-at', BOUNDS.shoeKm, km));
  return withStore(ctx, (store) => {
    store.shoes.setReplaceAtKm(n, ctx.now().toISOString());
    print(ctx, store.shoes.list(), n, opts.json);
    return 0;
  });
}

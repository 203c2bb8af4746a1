import { KneecheckError } from '../errors.ts';
import { RUN_HEADER, runLine, table } from '../format.ts';
import { unixOfLocal } from '../load/zone.ts';
import { BOUNDS, boundMessage, wholeNumberIn } from '../present/limits.ts';
import { printJson, type CommandContext } from './context.ts';

/** `kneecheck runs`: stored runs, newest first. */
export function runsCommand(
  opts: { json?: boolean; since?: string; limit?: string },
  ctx: CommandContext,
): number {
  let sinceUnix: number | undefined;
  if (opts.since !== undefined) {
    const since = unixOfLocal(opts.since, ctx.config.timezone);
    if (since === null) {
      throw new KneecheckError(
        `--since: expected a date such as 2026-11-01, got ${JSON.stringify(opts.since)}`,
      );
    }
    sinceUnix = since;
  }
  let limit: number | undefined;
  if (opts.limit !== undefined) {
    const n = wholeNumberIn(opts.limit, BOUNDS.limit);
    if (n === null) throw new KneecheckError(boundMessage('--limit', BOUNDS.limit, opts.limit));
    limit = n;
  }
  const store = ctx.openStore();
  try {
    const runs = store.runs.list({ sinceUnix, limit });
    if (opts.json) {
      printJson(ctx, runs);
    } else if (runs.length === 0) {
      ctx.stdout.write('No runs yet. Import some with: kneecheck import <file-or-folder>\n');
    } else {
      ctx.stdout.write(
        `${table([RUN_HEADER, ...runs.map((r) => runLine(r, ctx.config.units))])}\n`,
      );
    }
    return 0;
  } finally {
    store.close();
  }
}

import type { Config } from '../config/index.ts';
import { EXIT } from '../errors.ts';
import { counted, loadHistory } from '../history.ts';
import { patternOf, patternWords, type Pattern } from '../pattern/index.ts';
import { textWidth, wrap } from '../present/advice-text.ts';
import type { Store } from '../store/index.ts';
import { printJson, type CommandContext } from './context.ts';

/**
 * The runner's own pattern as of `now`, from everything stored (`kneecheck pattern`; for the
 * dashboard, the summary and the advice to call later). Reads every counted run: the long-run
 * cut-off is the runner's own 75th percentile over all of them.
 */
export function currentPattern(store: Store, config: Pick<Config, 'timezone'>, now: Date): Pattern {
  const history = loadHistory(store, now);
  const runs = counted(history.runs);
  return patternOf({
    runs,
    forms: history.forms,
    checks: history.checks,
    shoeOf: store.shoes.idsOfRuns(runs.map((r) => r.id)),
    zone: config.timezone,
    now,
  });
}

/** `kneecheck pattern [--json]`: the words, or the `pattern` document of DESIGN §4. */
export function patternCommand(opts: { json?: boolean }, ctx: CommandContext): number {
  const now = ctx.now();
  const store = ctx.openStore();
  try {
    const pattern = currentPattern(store, ctx.config, now);
    if (opts.json) printJson(ctx, pattern);
    else {
      // Each statement its own paragraph, wrapped to the terminal (later lines indented).
      const width = textWidth(ctx.stdout);
      const paragraphs = patternWords(pattern, ctx.config.units).map((line) =>
        wrap(line, width, '', '  ').join('\n'),
      );
      ctx.stdout.write(`${paragraphs.join('\n\n')}\n`);
    }
    return EXIT.ok;
  } finally {
    store.close();
  }
}

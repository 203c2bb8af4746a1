import { advise } from '../advice/advise.ts';
import { EXIT } from '../errors.ts';
import { adviceText, textWidth } from '../present/advice-text.ts';
import { printJson, type CommandContext } from './context.ts';
import { adviceInput, loadHistory } from '../history.ts';

/** `kneecheck advice`: the current advice from the stored runs and knee checks. */
export function adviceCommand(opts: { json?: boolean }, ctx: CommandContext): number {
  const now = ctx.now();
  const store = ctx.openStore();
  try {
    // Only the runs the advice reads, however long the history.
    const history = loadHistory(store, now, { weeks: 0, advice: ctx.config });
    const advice = advise(adviceInput(history, ctx.config, now));
    if (opts.json) {
      printJson(ctx, advice);
    } else {
      if (history.runs.length === 0 && history.checks.length === 0) {
        ctx.stdout.write(
          'No runs or knee checks yet: import runs with `kneecheck import <file-or-folder>`, ' +
            'or try `kneecheck demo`.\n\n',
        );
      }
      ctx.stdout.write(adviceText(advice, textWidth(ctx.stdout)));
    }
    return EXIT.ok;
  } finally {
    store.close();
  }
}

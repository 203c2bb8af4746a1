import { editCheck, setRunExcluded, type CheckAnswers, type RecordedCheck } from '../checks.ts';
import { painWords } from '../advice/words.ts';
import { EXIT, KneecheckError } from '../errors.ts';
import { formatDistance, formatStart, kneeWords } from '../format.ts';
import type { Advice, Run } from '../model.ts';
import { notifyCheck } from '../notify/index.ts';
import type { Store } from '../store/index.ts';
import { correctionText } from '../present/advice-text.ts';
import { cliAnswers, flagWords, type CheckOptions } from './check.ts';
import { printJson, type CommandContext } from './context.ts';
import { terminalText } from '../present/terminal.ts';
import { cleanText, TEXT_LIMITS } from '../bounds.ts';

/** A check id as typed: a whole number. */
function checkId(id: string, command: string): number {
  if (!/^\d{1,12}$/.test(id.trim())) {
    throw new KneecheckError(
      `${command}: expected a check id (a whole number; \`kneecheck checks\` lists them), got ${JSON.stringify(id)}`,
    );
  }
  return Number(id.trim());
}

/**
 * A change to the record re-evaluates the advice; a worse level is told on the notification
 * channels as after a new check. `notifyCheck` reads only `run`, `before` and `advice`.
 */
function notifyChange(
  ctx: CommandContext,
  store: Store,
  change: { run: Run | null; before: Advice; advice: Advice },
): Promise<unknown> {
  return notifyCheck(
    { store, config: ctx.config, now: ctx.now, log: ctx.log },
    change as RecordedCheck,
  );
}

/** The options of `kneecheck check edit`: those of `check`, each changing only what is given. */
export type EditOptions = Omit<CheckOptions, 'run'>;

/** The answers after an edit: the current ones with what was given on the command line. */
export function editedAnswers(current: CheckAnswers, opts: EditOptions): CheckAnswers {
  return cliAnswers(opts, current);
}

/**
 * `kneecheck check edit <id> …`: corrects a check, changing only the answers given (`--no-swelling`
 * and the like take a yes back; `--note ""` removes the note). Prints `{check, advice}` with --json.
 */
export async function checkEditCommand(
  id: string,
  opts: EditOptions,
  ctx: CommandContext,
): Promise<number> {
  const n = checkId(id, 'check edit');
  const store = ctx.openStore();
  try {
    const current = store.checks.get(n);
    if (!current) {
      throw new KneecheckError(`check ${n}: no such check; \`kneecheck checks\` lists the ids`);
    }
    const r = editCheck(store, ctx.config, ctx.now(), n, editedAnswers(current, opts));
    await notifyChange(ctx, store, r);
    const c = r.value;
    if (opts.json) printJson(ctx, { check: c, advice: r.advice });
    else {
      const flags = flagWords(c);
      ctx.stdout.write(
        correctionText(
          `Corrected knee check ${c.id}: ${kneeWords(c.knee)}, pain ${painWords(c)}` +
            `${c.where.length > 0 ? `, ${c.where.join(', ')}` : ''}` +
            `${flags.length > 0 ? `; ${flags.join(', ')}` : ''}.`,
          r.advice,
        ),
      );
    }
    return EXIT.ok;
  } finally {
    store.close();
  }
}

/** Longest exclusion reason kept, characters (src/bounds.ts: the web's too). */
const MAX_REASON_CHARS = TEXT_LIMITS.reason;

/**
 * `kneecheck run exclude <id> [--reason T]` and `run include <id>`: keeps a run out of every
 * metric (a wrong clock, a heart-rate strap's file) or counts it again. Prints the `Run` with --json.
 */
export async function runExcludeCommand(
  id: string,
  exclude: boolean,
  opts: { reason?: string; json?: boolean },
  ctx: CommandContext,
): Promise<number> {
  const reason = cleanText(opts.reason ?? '') || 'left out by you';
  if (reason.length > MAX_REASON_CHARS) {
    throw new KneecheckError(`--reason: expected at most ${MAX_REASON_CHARS} characters`);
  }
  const store = ctx.openStore();
  try {
    const r = setRunExcluded(store, ctx.config, ctx.now(), id, exclude ? { reason } : null);
    await notifyChange(ctx, store, { run: r.value, before: r.before, advice: r.advice });
    const run = r.value;
    if (opts.json) printJson(ctx, run);
    else {
      const what = `the run of ${formatStart(run)} (${formatDistance(run.distanceM, ctx.config.units)})`;
      ctx.stdout.write(
        terminalText(
          correctionText(
            `${
              exclude
                ? `Left out ${what}: ${reason}. It stays listed and counts in no metric; \`kneecheck run include ${run.id}\` counts it again.`
                : `Counting ${what} again.`
            }`,
            r.advice,
          ),
        ),
      );
    }
    return EXIT.ok;
  } finally {
    store.close();
  }
}

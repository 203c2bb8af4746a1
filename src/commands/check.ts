import { painWords } from '../advice/words.ts';
import {
  CheckInputError,
  MAX_NOTE_CHARS,
  PAIN_EXPECTED,
  parseCheckAnswers,
  type CheckProblem,
} from '../check-input.ts';
import { recordCheck, type CheckAnswers } from '../checks.ts';
import { notifyCheck } from '../notify/index.ts';
import { EXIT, KneecheckError } from '../errors.ts';
import { formatDistance, formatStart, kneeWords } from '../format.ts';
import { KNEE_LOCATIONS, KNEE_SIDES } from '../model.ts';
import { adviceText, textWidth } from '../present/advice-text.ts';
import { printJson, type CommandContext } from './context.ts';

/** The options of `kneecheck check`, as the command line parses them. */
export interface CheckOptions {
  pain?: string;
  where?: string;
  knee?: string;
  swelling?: boolean;
  locking?: boolean;
  givingWay?: boolean;
  sharp?: boolean;
  changedGait?: boolean;
  cannotBearWeight?: boolean;
  hotRedFever?: boolean;
  /** The guide's return test after a stop: walking, squatting, stairs pain-free. */
  walkOk?: boolean;
  squatOk?: boolean;
  stairsOk?: boolean;
  note?: string;
  /** About the knee now, not a run (e.g. on a rest day). */
  run?: boolean;
  json?: boolean;
}

const LOCATIONS_TEXT = KNEE_LOCATIONS.join(', ');

/** A problem with an answer in the command line's words (`--pain`, `--where`, …). */
function cliWords(p: CheckProblem): string {
  switch (p.kind) {
    case 'missing':
      return p.field === 'pain'
        ? `--pain is required: ${PAIN_EXPECTED}`
        : `--where is required when --pain is above 0: where does the knee hurt? ` +
            `One or more of ${LOCATIONS_TEXT} (e.g. --where front)`;
    case 'not-0-10':
      return `--pain: ${PAIN_EXPECTED}, got ${JSON.stringify(p.got)}`;
    case 'unknown':
      return p.field === 'where'
        ? `--where: expected one or more of ${LOCATIONS_TEXT} separated by commas ` +
            `(e.g. --where front,outside), got ${JSON.stringify(Array.isArray(p.got) ? p.got.join(',') : p.got)}`
        : `--knee: expected ${KNEE_SIDES.join(', ')} (e.g. --knee left), got ${JSON.stringify(p.got)}`;
    case 'not-text':
    case 'not-yes-no':
      // Commander gives text and true/false only; said for completeness.
      return `--${p.field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: expected ${p.kind === 'not-text' ? 'text' : 'true or false'}`;
    case 'too-long':
      return `--note: expected at most ${MAX_NOTE_CHARS} characters`;
  }
}

/**
 * The answers given on the command line (`check`, or with `current`, `check edit`: only what is
 * given changes), read by the one check parser the web form and the API use too.
 */
export function cliAnswers(opts: Omit<CheckOptions, 'run'>, current?: CheckAnswers): CheckAnswers {
  try {
    return parseCheckAnswers(
      {
        pain: opts.pain,
        where: opts.where,
        knee: opts.knee,
        note: opts.note,
        swelling: opts.swelling,
        locking: opts.locking,
        givingWay: opts.givingWay,
        sharp: opts.sharp,
        changedGait: opts.changedGait,
        cannotBearWeight: opts.cannotBearWeight,
        hotRedFever: opts.hotRedFever,
        walkOk: opts.walkOk,
        squatOk: opts.squatOk,
        stairsOk: opts.stairsOk,
      },
      current,
    );
  } catch (e) {
    if (e instanceof CheckInputError && e.problem) throw new KneecheckError(cliWords(e.problem));
    throw e;
  }
}

/** The yes/no answers a check has, for people ("swelling, giving way"). */
export function flagWords(c: {
  swelling: boolean;
  locking: boolean;
  givingWay: boolean;
  sharp: boolean;
  changedGait: boolean;
  cannotBearWeight: boolean;
  hotRedFever: boolean;
}): string[] {
  return [
    c.swelling && 'swelling',
    c.locking && 'locking',
    c.givingWay && 'giving way',
    c.sharp && 'sharp',
    c.changedGait && 'changed gait',
    c.cannotBearWeight && 'cannot bear weight',
    c.hotRedFever && 'hot, red, fever',
  ].filter((f): f is string => typeof f === 'string');
}

/**
 * `kneecheck check [runId]`: records how the knees feel (default: about the latest run) and
 * prints the advice that follows. `--json` prints `{check, advice}` (DESIGN §4).
 */
export async function checkCommand(
  runId: string | undefined,
  opts: CheckOptions,
  ctx: CommandContext,
): Promise<number> {
  // Validate the input before touching the database.
  const { pain, where, knee, ...rest } = cliAnswers(opts);
  const now = ctx.now();
  const store = ctx.openStore();
  try {
    const recorded = recordCheck(
      store,
      ctx.config,
      now,
      runId,
      { pain, where, knee, via: 'cli', ...rest },
      opts.run === false,
    );
    const { check, run, advice } = recorded;
    // Like a check from the dashboard: a worse level is told on the notification channels too.
    await notifyCheck({ store, config: ctx.config, now: ctx.now, log: ctx.log }, recorded);
    if (opts.json) {
      printJson(ctx, { check, advice });
    } else {
      const flags = flagWords(check);
      const about = run
        ? `for the run of ${formatStart(run)} (${formatDistance(run.distanceM, ctx.config.units)})`
        : 'about your knee now (no run)';
      ctx.stdout.write(
        `Saved knee check ${check.id} ${about}: ${kneeWords(check.knee)}, pain ${painWords(check)}` +
          `${where.length > 0 ? `, ${where.join(', ')}` : ''}` +
          `${flags.length > 0 ? `; ${flags.join(', ')}` : ''}.\n\n`,
      );
      ctx.stdout.write(adviceText(advice, textWidth(ctx.stdout)));
    }
    return EXIT.ok;
  } finally {
    store.close();
  }
}

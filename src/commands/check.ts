import { advise } from '../advice/advise.ts';
import { EXIT, KneecheckError } from '../errors.ts';
import { formatDistance, formatStart } from '../format.ts';
import {
  KNEE_LOCATIONS,
  type KneeCheck,
  type KneeLocation,
  type Run,
  type RunId,
} from '../model.ts';
import type { Store } from '../store/index.ts';
import { adviceText, textWidth } from './advice-text.ts';
import { printJson, type CommandContext } from './context.ts';
import { adviceInput, loadHistory } from './history.ts';

/** The options of `kneecheck check`, as the command line parses them. */
export interface CheckOptions {
  pain?: string;
  where?: string;
  swelling?: boolean;
  locking?: boolean;
  givingWay?: boolean;
  sharp?: boolean;
  changedGait?: boolean;
  cannotBearWeight?: boolean;
  hotRedFever?: boolean;
  note?: string;
  json?: boolean;
}

const LOCATIONS_TEXT = KNEE_LOCATIONS.join(', ');

/** `--pain`: a whole number from 0 to 10. */
export function parsePain(text: string | undefined): number {
  const expected = 'expected a whole number from 0 (no pain) to 10 (worst imaginable)';
  if (text === undefined) throw new KneecheckError(`--pain is required: ${expected}`);
  const t = text.trim();
  const n = Number(t);
  if (!/^\d+$/.test(t) || n > 10) {
    throw new KneecheckError(`--pain: ${expected}, got ${JSON.stringify(text)}`);
  }
  return n;
}

/** `--where`: comma-separated knee locations, each once; required when there is pain. */
export function parseWhere(text: string | undefined, pain: number): KneeLocation[] {
  const parts = (text ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = parts.filter((p) => !(KNEE_LOCATIONS as readonly string[]).includes(p));
  if (unknown.length > 0) {
    throw new KneecheckError(
      `--where: expected one or more of ${LOCATIONS_TEXT} separated by commas ` +
        `(e.g. --where front,outside), got ${JSON.stringify(unknown.join(','))}`,
    );
  }
  if (parts.length === 0 && pain > 0) {
    throw new KneecheckError(
      `--where is required when --pain is above 0: where does the knee hurt? ` +
        `One or more of ${LOCATIONS_TEXT} (e.g. --where front)`,
    );
  }
  return KNEE_LOCATIONS.filter((l) => parts.includes(l));
}

/** The run the check is about: the one named, else the latest that started by `now`. */
function chooseRun(store: Store, runId: string | undefined, now: Date): Run {
  if (runId === undefined) {
    const [latest] = store.runs.list({ untilUnix: Math.floor(now.getTime() / 1000), limit: 1 });
    if (!latest) {
      throw new KneecheckError(
        'no runs yet: import a run first (kneecheck import <file-or-folder>), or pass a run id',
      );
    }
    return latest;
  }
  const run = store.runs.get(runId as RunId);
  if (!run) {
    throw new KneecheckError(
      `run id ${JSON.stringify(runId)}: no such run; \`kneecheck runs\` lists the ids ` +
        '(or leave it out to use the latest run)',
    );
  }
  if (Date.parse(run.startTime) > now.getTime()) {
    throw new KneecheckError(
      `run id ${JSON.stringify(runId)}: that run starts after the current time ` +
        `(${now.toISOString()}, KNEECHECK_NOW); a check can only be about a run already done`,
    );
  }
  return run;
}

/**
 * `kneecheck check [runId]`: records how the knees feel (default: about the latest run) and
 * prints the advice that follows. `--json` prints `{check, advice}` (DESIGN §4).
 */
export function checkCommand(
  runId: string | undefined,
  opts: CheckOptions,
  ctx: CommandContext,
): number {
  // Validate the input before touching the database.
  const pain = parsePain(opts.pain);
  const where = parseWhere(opts.where, pain);
  const note = opts.note?.trim() ? opts.note.trim() : null;
  const now = ctx.now();
  const store = ctx.openStore();
  try {
    const run = chooseRun(store, runId, now);
    const check: KneeCheck = store.checks.add({
      runId: run.id,
      checkedAt: now.toISOString(),
      pain,
      where,
      swelling: opts.swelling === true,
      locking: opts.locking === true,
      givingWay: opts.givingWay === true,
      sharp: opts.sharp === true,
      changedGait: opts.changedGait === true,
      cannotBearWeight: opts.cannotBearWeight === true,
      hotRedFever: opts.hotRedFever === true,
      note,
    });
    const advice = advise(adviceInput(loadHistory(store, now), ctx, now));
    if (opts.json) {
      printJson(ctx, { check, advice });
    } else {
      const flags = [
        check.swelling && 'swelling',
        check.locking && 'locking',
        check.givingWay && 'giving way',
        check.sharp && 'sharp',
        check.changedGait && 'changed gait',
        check.cannotBearWeight && 'cannot bear weight',
        check.hotRedFever && 'hot, red, fever',
      ].filter((f): f is string => typeof f === 'string');
      ctx.stdout.write(
        `Saved knee check ${check.id} for the run of ${formatStart(run)} ` +
          `(${formatDistance(run.distanceM, ctx.config.units)}): pain ${pain}/10` +
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

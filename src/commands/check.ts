import { recordCheck } from '../checks.ts';
import { notifyCheck } from '../notify/index.ts';
import { EXIT, KneecheckError } from '../errors.ts';
import { formatDistance, formatStart, kneeWords } from '../format.ts';
import { KNEE_LOCATIONS, KNEE_SIDES, type KneeLocation, type KneeSide } from '../model.ts';
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
  note?: string;
  /** About the knee now, not a run (e.g. on a rest day). */
  run?: boolean;
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

/** `--knee`: left, right or both; not said when absent. */
export function parseKnee(text: string | undefined): KneeSide | null {
  if (text === undefined) return null;
  const t = text.trim().toLowerCase();
  if (!(KNEE_SIDES as readonly string[]).includes(t)) {
    throw new KneecheckError(
      `--knee: expected ${KNEE_SIDES.join(', ')} (e.g. --knee left), got ${JSON.stringify(text)}`,
    );
  }
  return t as KneeSide;
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
  const pain = parsePain(opts.pain);
  const where = parseWhere(opts.where, pain);
  const knee = parseKnee(opts.knee);
  const note = opts.note?.trim() ? opts.note.trim() : null;
  const now = ctx.now();
  const store = ctx.openStore();
  try {
    const recorded = recordCheck(
      store,
      ctx.config,
      now,
      runId,
      {
        pain,
        where,
        knee,
        via: 'cli',
        swelling: opts.swelling === true,
        locking: opts.locking === true,
        givingWay: opts.givingWay === true,
        sharp: opts.sharp === true,
        changedGait: opts.changedGait === true,
        cannotBearWeight: opts.cannotBearWeight === true,
        hotRedFever: opts.hotRedFever === true,
        note,
      },
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
        `Saved knee check ${check.id} ${about}: ${kneeWords(check.knee)}, pain ${pain}/10` +
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

import { DateTime } from 'luxon';
import { EXIT, KneecheckError } from '../errors.ts';
import { createLogger, maskSecrets, type Logger } from '../log.ts';
import type { IntervalsDeps } from '../intervals/deps.ts';
import { SETTINGS } from '../intervals/deps.ts';
import { readKey } from '../intervals/key.ts';
import { printJson, type CommandContext } from './context.ts';

/** Skipped activities listed in human output (`--json` has them all). */
const LIST_LIMIT = 20;

const plural = (n: number, word: string) =>
  `${n} ${n === 1 ? word : word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`}`;
const localTime = (iso: string, zone: string) =>
  DateTime.fromISO(iso).setZone(zone).toFormat('yyyy-MM-dd HH:mm');

/**
 * Runs `fn` with intervals.icu deps; the stored key (and one given now) is masked in the
 * logger's lines and in an error's message, as a last guard (DESIGN §8).
 */
async function withIntervals<T>(
  ctx: CommandContext,
  opts: { quiet?: boolean; extraSecrets?: string[] },
  fn: (deps: IntervalsDeps) => Promise<T>,
): Promise<T> {
  const stored = readKey(ctx.config.dataDir);
  const secrets = [...(stored ? [stored.apiKey] : []), ...(opts.extraSecrets ?? [])];
  const log: Logger = createLogger({
    stream: ctx.stderr,
    json: false,
    level: opts.quiet ? 'warn' : 'info',
    secrets,
  });
  const store = ctx.openStore();
  try {
    return await fn({ store, config: ctx.config, now: ctx.now, log });
  } catch (e) {
    if (e instanceof Error) e.message = maskSecrets(e.message, secrets);
    throw e;
  } finally {
    store.close();
  }
}

/** `kneecheck intervals connect`: checks the key with one request and stores it (0600). */
export async function intervalsConnectCommand(
  opts: { athleteId?: string; apiKey?: string; json?: boolean },
  ctx: CommandContext,
): Promise<number> {
  let { athleteId, apiKey } = opts;
  if (apiKey === undefined) {
    if (!process.stdin.isTTY || !process.stderr.isTTY) {
      throw new KneecheckError(
        'no API key: give --api-key KEY (intervals.icu → Settings → Developer settings), or run on a terminal to be asked for it',
        { exitCode: EXIT.usage },
      );
    }
    const { ask } = await import('../intervals/prompt.ts');
    ctx.stderr.write(
      'Your intervals.icu API key is at intervals.icu → Settings → Developer settings (API key).\n',
    );
    athleteId ??= await ask("Athlete id (like i12345; Enter for the key's owner): ");
    apiKey = await ask('API key (not shown as you type): ', { secret: true });
  }
  const given = { athleteId: athleteId ?? '0', apiKey };
  const { connectIntervals } = await import('../intervals/connect.ts');
  return withIntervals(ctx, { quiet: true, extraSecrets: [apiKey] }, async (deps) => {
    const k = await connectIntervals(deps, given);
    if (opts.json) {
      printJson(ctx, { athlete: { id: k.athleteId, name: k.athleteName } });
    } else {
      ctx.stdout.write(
        `Connected to intervals.icu as ${k.athleteName ?? 'athlete'} (athlete ${k.athleteId}). ` +
          'The key is stored readable only by you.\nNext: kneecheck intervals sync\n',
      );
    }
    return EXIT.ok;
  });
}

/** `kneecheck intervals sync`: the history first, then what is new or changed. */
export async function intervalsSyncCommand(
  opts: { since?: string; json?: boolean },
  ctx: CommandContext,
): Promise<number> {
  if (opts.since !== undefined && !DateTime.fromISO(opts.since).isValid) {
    throw new KneecheckError(`--since: expected a date such as 2025-01-31, got "${opts.since}"`);
  }
  const since = opts.since === undefined ? undefined : DateTime.fromISO(opts.since).toISODate();
  const { syncIntervals } = await import('../intervals/sync.ts');
  return withIntervals(ctx, { quiet: opts.json === true }, async (deps) => {
    const tty = ctx.stderr.isTTY === true;
    let shown = false;
    const result = await syncIntervals(deps, {
      ...(since ? { since } : {}),
      ...(tty
        ? {
            onProgress: (n: number, reached: string) => {
              shown = true;
              ctx.stderr.write(
                `\r\x1b[2Kintervals.icu: ${plural(n, 'activity')} read, back to ${reached}`,
              );
            },
          }
        : {}),
    });
    if (shown) ctx.stderr.write('\r\x1b[2K');
    if (opts.json) {
      printJson(ctx, result);
    } else {
      const stubs = result.skipped.filter((s) => s.reason.startsWith('came from Strava')).length;
      const others = result.skipped.filter((s) => !s.reason.startsWith('came from Strava'));
      if (others.length <= LIST_LIMIT) {
        for (const s of others)
          ctx.stdout.write(`skipped: intervals:${s.activityId}: ${s.reason}\n`);
      }
      for (const f of result.failed) {
        ctx.stdout.write(`failed: intervals:${f.activityId}: ${f.error}\n`);
      }
      ctx.stdout.write(
        `intervals.icu sync: ${plural(result.imported, 'run')} imported, ${result.merged} merged with runs already stored, ` +
          `${result.updated} updated, ${result.deleted} deleted, ${others.length} skipped (not runs), ` +
          `${plural(result.apiCalls, 'request')}.\n`,
      );
      if (others.length > LIST_LIMIT) {
        ctx.stdout.write(`(${others.length} activities skipped as not runs; --json lists them)\n`);
      }
      if (stubs > 0) {
        ctx.stdout.write(
          `${plural(stubs, 'activity')} came into intervals.icu from Strava: intervals.icu may not hand those out ` +
            "(Strava's terms). Import them from Strava (kneecheck strava connect, or your Strava export).\n",
        );
      }
      if (result.stopped) {
        const after = result.stopped.resumeAfter;
        const when = after ? ` after ${localTime(after, ctx.config.timezone)}` : '';
        ctx.stdout.write(
          `Stopped early: ${result.stopped.reason}.\nProgress is saved: run \`kneecheck intervals sync\` again${when} to continue.\n`,
        );
      }
    }
    // Asked to wait (a long Retry-After) is not a failure: progress is saved, as for Strava.
    return result.failed.length > 0 || (result.stopped && result.stopped.resumeAfter === null)
      ? EXIT.someFailed
      : EXIT.ok;
  });
}

/** `kneecheck intervals status`: no request, only what is stored. */
export async function intervalsStatusCommand(
  opts: { json?: boolean },
  ctx: CommandContext,
): Promise<number> {
  const key = readKey(ctx.config.dataDir);
  const { readSyncState } = await import('../intervals/sync.ts');
  const store = ctx.openStore();
  try {
    const sync = readSyncState({ store });
    const activities = store.intervals.counts();
    const status = {
      connected: key !== null,
      athlete: key ? { id: key.athleteId, name: key.athleteName } : null,
      connectedAt: key?.connectedAt ?? null,
      apiUrl: ctx.config.intervals.apiUrl,
      lastSyncAt: sync.lastSyncAt,
      lastSync: sync.lastResult,
      historyComplete: sync.listedUpTo !== null && sync.backfill === null,
      historyFrom: sync.historyFrom,
      backfillCursor: sync.backfill?.cursor ?? null,
      activities,
      runsFromIntervals: store.intervals.sourceIds().length,
    };
    if (opts.json) {
      printJson(ctx, status);
      return EXIT.ok;
    }
    const zone = ctx.config.timezone;
    const lines: string[] = [];
    if (!key) {
      lines.push('intervals.icu: not connected. Connect with: kneecheck intervals connect');
    } else {
      lines.push(
        `intervals.icu: connected as ${key.athleteName ?? 'athlete'} (athlete ${key.athleteId})` +
          (key.connectedAt ? ` since ${localTime(key.connectedAt, zone)}` : ''),
      );
    }
    if (sync.lastSyncAt) {
      const r = sync.lastResult;
      lines.push(
        `Last sync: ${localTime(sync.lastSyncAt, zone)}` +
          (r
            ? ` — ${r.imported} imported, ${r.updated} updated, ${r.deleted} deleted, ${plural(r.apiCalls, 'request')}${r.complete ? '' : ' (stopped early; the next sync goes on)'}`
            : ''),
      );
    } else if (key) {
      lines.push('Last sync: never. Run: kneecheck intervals sync');
    }
    if (sync.listedUpTo) {
      lines.push(
        `History: ${status.historyComplete ? `complete from ${sync.historyFrom ?? '?'}` : `in progress, back to ${sync.backfill?.cursor.slice(0, 10) ?? '?'}`}; ` +
          `${plural(activities.runs, 'run')} and ${activities.skipped} other activities seen`,
      );
    }
    if (activities.stubs > 0) {
      lines.push(
        `${plural(activities.stubs, 'activity')} came into intervals.icu from Strava and ${activities.stubs === 1 ? 'is' : 'are'} skipped: ` +
          "intervals.icu may not hand those out (Strava's terms). Import them from Strava (kneecheck strava connect, or your Strava export).",
      );
    }
    ctx.stdout.write(`${lines.join('\n')}\n`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}

/** `kneecheck intervals disconnect`: deletes the key; `--delete-runs` also the runs only from it. */
export async function intervalsDisconnectCommand(
  opts: { json?: boolean; deleteRuns?: boolean },
  ctx: CommandContext,
): Promise<number> {
  const { deleteKey } = await import('../intervals/key.ts');
  const { purgeIntervalsData } = await import('../intervals/apply.ts');
  return withIntervals(ctx, { quiet: true }, (deps) => {
    const hadKey = deleteKey(ctx.config.dataDir);
    const purged = opts.deleteRuns
      ? purgeIntervalsData(deps, [SETTINGS.sync])
      : { runsDeleted: 0, sourcesRemoved: 0 };
    if (opts.json) {
      printJson(ctx, { keyDeleted: hadKey, ...purged });
    } else {
      ctx.stdout.write(
        `${hadKey ? 'Disconnected from intervals.icu: the API key is deleted' : 'intervals.icu was not connected'}` +
          (opts.deleteRuns
            ? `; ${plural(purged.runsDeleted, 'run')} that came only from intervals.icu deleted (runs also from files or Strava stay).\n`
            : '; your runs stay (--delete-runs removes those that came only from intervals.icu). You can also revoke the key on intervals.icu.\n'),
      );
    }
    return Promise.resolve(EXIT.ok);
  });
}

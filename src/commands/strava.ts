import { spawn } from 'node:child_process';
import { DateTime } from 'luxon';
import { EXIT, KneecheckError } from '../errors.ts';
import { createLogger, maskSecrets, type Logger } from '../log.ts';
import type { Store } from '../store/index.ts';
import type { RateLimitState, RateUsage } from '../strava/budget.ts';
import { beginConnect, listenForCallback } from '../strava/oauth.ts';
import { SETTINGS, endpointsOf, openSession, type StravaDeps } from '../strava/session.ts';
import { readInactive } from '../strava/inactive.ts';
import { readSyncState, syncStrava, type SyncResult } from '../strava/sync.ts';
import { readTokens } from '../strava/tokens.ts';
import { forgetStrava } from '../strava/webhook.ts';
import { printJson, type CommandContext } from './context.ts';
import { terminalText } from '../present/terminal.ts';

/** Skipped activities listed in human output (`--json` has them all). */
const LIST_LIMIT = 20;
const MINUTE_MS = 60_000;

/**
 * Runs `fn` with Strava deps; every token held (read now or refreshed later) is masked in the
 * logger's lines and in an error's message, as a last guard (DESIGN §8).
 */
export async function withStrava<T>(
  ctx: CommandContext,
  opts: { maxWaitMs?: number; quiet?: boolean },
  fn: (deps: StravaDeps, secrets: string[]) => Promise<T>,
): Promise<T> {
  const stored = readTokens(ctx.config.dataDir);
  const secrets: string[] = [
    ...(stored ? [stored.accessToken, stored.refreshToken] : []),
    ...[ctx.config.strava.clientSecret, ctx.config.strava.webhookVerifyToken].filter(
      (s): s is string => s !== null,
    ),
  ];
  const log: Logger = createLogger({
    stream: ctx.stderr,
    json: false,
    level: opts.quiet ? 'warn' : 'info',
    secrets,
  });
  const store: Store = ctx.openStore();
  try {
    return await fn(
      { store, config: ctx.config, now: ctx.now, log, maxWaitMs: opts.maxWaitMs ?? 0 },
      secrets,
    );
  } catch (e) {
    if (e instanceof Error) {
      const fresh = readTokens(ctx.config.dataDir);
      if (fresh) secrets.push(fresh.accessToken, fresh.refreshToken);
      e.message = maskSecrets(e.message, secrets);
    }
    throw e;
  } finally {
    store.close();
  }
}

/** Tries to open `url` in a browser; any failure is ignored (the URL is printed anyway). */
function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser here: the printed URL is enough.
  }
}

/** `kneecheck strava connect`: OAuth through a loopback listener; prints the athlete's name. */
export async function stravaConnectCommand(
  opts: { port?: number; browser?: boolean; timeout?: number; json?: boolean },
  ctx: CommandContext,
): Promise<number> {
  endpointsOf(ctx.config);
  return withStrava(ctx, { quiet: true }, async (deps) => {
    const listener = await listenForCallback(deps, opts.port ?? 0);
    try {
      const { url } = beginConnect(deps, listener.redirectUri);
      ctx.stdout.write(
        'Open this address in your browser and allow kneecheck to read your activities:\n\n' +
          `  ${url}\n\n` +
          `Waiting for Strava to send you back to ${listener.redirectUri} (port ${listener.port}; Ctrl+C cancels)...\n`,
      );
      if (opts.browser !== false) openBrowser(url);
      const timeoutMs = (opts.timeout ?? 300) * 1000;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), timeoutMs);
      });
      const result = await Promise.race([listener.result, timeout]);
      clearTimeout(timer);
      if (result === null) {
        throw new KneecheckError(
          `no answer from Strava within ${opts.timeout ?? 300} s; run \`kneecheck strava connect\` again`,
        );
      }
      if (!result.ok) throw new KneecheckError(`not connected: ${result.message}`);
      if (opts.json) {
        printJson(ctx, { athlete: result.athlete, scope: result.scope });
      } else {
        ctx.stdout.write(
          `Connected to Strava as ${terminalText(result.athlete.name, { oneLine: true })} (athlete ${result.athlete.id}).\n` +
            'Next: kneecheck strava sync\n',
        );
      }
      return EXIT.ok;
    } finally {
      await listener.close();
    }
  });
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function localTime(iso: string, zone: string): string {
  return DateTime.fromISO(iso).setZone(zone).toFormat('yyyy-MM-dd HH:mm');
}

/** `kneecheck strava sync`: backfill or incremental sync. */
export async function stravaSyncCommand(
  opts: { json?: boolean; maxWait?: number },
  ctx: CommandContext,
): Promise<number> {
  const maxWaitMs = (opts.maxWait ?? 15) * MINUTE_MS;
  return withStrava(ctx, { maxWaitMs, quiet: opts.json === true }, async (deps) => {
    const result = await syncStrava(deps);
    if (opts.json) printJson(ctx, result);
    else printSync(ctx, result);
    return result.failed.length > 0 || (result.stopped && result.stopped.resumeAfter === null)
      ? EXIT.someFailed
      : EXIT.ok;
  });
}

function printSync(ctx: CommandContext, r: SyncResult): void {
  if (r.skipped.length > 0 && r.skipped.length <= LIST_LIMIT) {
    for (const s of r.skipped) {
      ctx.stdout.write(
        terminalText(`skipped: strava:${s.id}: ${s.reason}`, { oneLine: true }) + '\n',
      );
    }
  }
  for (const f of r.failed) {
    ctx.stdout.write(terminalText(`failed: strava:${f.id}: ${f.error}`, { oneLine: true }) + '\n');
  }
  ctx.stdout.write(
    `Strava sync: ${plural(r.imported, 'run')} imported, ${r.merged} merged with runs from FIT files, ` +
      `${r.updated} updated, ${r.deleted} deleted, ${r.skipped.length} skipped (not runs), ` +
      `${plural(r.apiCalls, 'API request')}.\n`,
  );
  if (r.skipped.length > LIST_LIMIT) {
    ctx.stdout.write(`(${r.skipped.length} activities skipped as not runs; --json lists them)\n`);
  }
  if (r.stopped) {
    const when = r.stopped.resumeAfter
      ? ` after ${localTime(r.stopped.resumeAfter, ctx.config.timezone)}`
      : ' later';
    ctx.stdout.write(
      `Stopped early: ${terminalText(r.stopped.reason, { oneLine: true })}.\nProgress is saved: run \`kneecheck strava sync\` again${when} to continue.\n`,
    );
  }
}

const usageText = (name: string, u: RateUsage | null): string | null =>
  u &&
  `${name} ${u.usage15min}/${u.limit15min} in this 15-minute window, ${u.usageDaily}/${u.limitDaily} today`;

/** `kneecheck strava status`: no API request, only what is stored. */
export async function stravaStatusCommand(
  opts: { json?: boolean },
  ctx: CommandContext,
): Promise<number> {
  const tokens = readTokens(ctx.config.dataDir);
  const store = ctx.openStore();
  try {
    const sync = readSyncState({ store });
    const activities = store.strava.counts();
    const runsFromStrava = store.strava.sourceIds().length;
    const rateLimit = store.settings.get<RateLimitState>(SETTINGS.rateLimit);
    const status = {
      connected: tokens !== null,
      athlete: tokens ? tokens.athlete : null,
      scope: tokens ? tokens.scope : [],
      connectedAt: tokens?.connectedAt ?? null,
      accessTokenExpiresAt: tokens ? new Date(tokens.expiresAt * 1000).toISOString() : null,
      lastSyncAt: sync.lastSyncAt,
      lastSync: sync.lastResult,
      backfillComplete: sync.backfillComplete,
      syncedUpTo: sync.cursor === null ? null : new Date(sync.cursor * 1000).toISOString(),
      activities,
      runsFromStrava,
      rateLimit,
      // Strava's 403 "Application Status Inactive" (since 30 June 2026): since when, and why.
      applicationInactive: readInactive(store),
    };
    if (opts.json) {
      printJson(ctx, status);
      return EXIT.ok;
    }
    const zone = ctx.config.timezone;
    const lines: string[] = [];
    if (!tokens) {
      lines.push('Strava: not connected. Connect with: kneecheck strava connect');
    } else {
      lines.push(
        `Strava: connected as ${terminalText(tokens.athlete.name, { oneLine: true })} (athlete ${tokens.athlete.id}) since ${localTime(tokens.connectedAt, zone)}`,
        `Scopes: ${tokens.scope.join(', ') || '–'}`,
        `Access renews automatically (current one valid until ${localTime(status.accessTokenExpiresAt ?? '', zone)})`,
      );
    }
    if (status.applicationInactive) {
      const a = status.applicationInactive;
      lines.push(`Refused since ${localTime(a.since, zone)}: ${a.message}`);
    }
    if (sync.lastSyncAt) {
      const r = sync.lastResult;
      lines.push(
        `Last sync: ${localTime(sync.lastSyncAt, zone)}` +
          (r
            ? ` — ${r.imported} imported, ${r.updated} updated, ${r.deleted} deleted, ${r.skipped} skipped, ${plural(r.apiCalls, 'API request')}${r.complete ? '' : ' (stopped early)'}`
            : ''),
      );
    } else if (tokens) {
      lines.push('Last sync: never. Run: kneecheck strava sync');
    }
    if (status.syncedUpTo) {
      lines.push(
        `History: ${sync.backfillComplete ? 'complete' : 'backfill in progress'}, up to ${localTime(status.syncedUpTo, zone)}; ` +
          `${plural(activities.runs, 'run')} and ${activities.skipped} other activities seen`,
      );
    }
    if (rateLimit) {
      const parts = [usageText('overall', rateLimit.overall), usageText('read', rateLimit.read)];
      lines.push(
        `Rate limit (as of ${localTime(rateLimit.at, zone)}): ${parts.filter(Boolean).join('; ')}`,
      );
    }
    ctx.stdout.write(`${lines.join('\n')}\n`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}

/**
 * `kneecheck strava disconnect`: revokes kneecheck's access (`oauth/revoke`), deletes the tokens
 * and the Strava-only runs.
 */
export async function stravaDisconnectCommand(
  opts: { json?: boolean },
  ctx: CommandContext,
): Promise<number> {
  return withStrava(ctx, { quiet: true }, async (deps) => {
    const session = openSession(deps, false);
    let deauthorized = false;
    const held = session.tokens.tokens;
    if (held) {
      try {
        // The refresh token: it needs no renewing first, and revoking it revokes the access token.
        await session.oauth.revoke(held.refreshToken);
        deauthorized = true;
      } catch (e) {
        deps.log.warn(
          'could not tell Strava to revoke access (revoke it at strava.com/settings/apps)',
          {
            error: e as Error,
          },
        );
      }
    }
    const { runsDeleted, sourcesRemoved } = forgetStrava(deps);
    if (opts.json) {
      printJson(ctx, { deauthorized, runsDeleted, sourcesRemoved });
    } else {
      ctx.stdout.write(
        `Disconnected from Strava${deauthorized ? '' : ' (locally; Strava was not reached)'}: tokens deleted, ` +
          `${plural(runsDeleted, 'run')} that came only from Strava deleted; runs also imported from FIT files stay.\n`,
      );
    }
    return EXIT.ok;
  });
}

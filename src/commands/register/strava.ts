import { Argument, type Command } from 'commander';
import { BOUNDS, boundedInt } from '../bounds.ts';
import type { RunWork } from './types.ts';

/**
 * `kneecheck strava connect|sync|status|disconnect|webhook` (work: ../strava.ts,
 * ../strava-webhook.ts).
 */
export function register(program: Command, run: RunWork): void {
  const stravaCmd = program
    .command('strava')
    .description('connect your Strava account and sync its runs (no files needed)')
    .addHelpText(
      'after',
      '\nSet STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET (your API app at https://www.strava.com/settings/api) first.\n' +
        'Examples:\n  kneecheck strava connect\n  kneecheck strava sync\n  kneecheck strava status --json',
    );
  stravaCmd
    .command('connect')
    .description(
      'let kneecheck read your Strava activities: prints the Strava page to open, then waits for it',
    )
    .option(
      '--port <n>',
      'port of the local listener Strava sends you back to (default: any free one; it is printed)',
      boundedInt(BOUNDS.port),
    )
    .option('--no-browser', 'only print the address, do not try to open a browser')
    .option(
      '--timeout <s>',
      'give up after this many seconds (default 300, at most 86400)',
      boundedInt(BOUNDS.timeoutS),
    )
    .option('--json', 'print {athlete:{id, name}, scope} as JSON once connected')
    .addHelpText(
      'after',
      '\nThe tokens are stored in <data dir>/strava-tokens.json (readable only by you) and never printed.\n' +
        'In your Strava API app, set "Authorization Callback Domain" to 127.0.0.1.\n' +
        'Examples:\n  kneecheck strava connect\n  kneecheck strava connect --port 8765 --no-browser',
    )
    .action((opts: { port?: number; browser?: boolean; timeout?: number; json?: boolean }) =>
      run(async (ctx) => (await import('../strava.ts')).stravaConnectCommand(opts, ctx)),
    );
  stravaCmd
    .command('sync')
    .description(
      'import new runs from Strava (the first sync fetches your whole history), notice edits and deletions',
    )
    .option(
      '--max-wait <minutes>',
      "wait at most this long for Strava's rate-limit window, else stop and resume next time (default 15, at most 1440)",
      boundedInt(BOUNDS.maxWaitMin),
    )
    .option(
      '--json',
      'print {imported, merged, updated, deleted, skipped:[{id, reason}], failed, apiCalls, complete, stopped, rateLimit}',
    )
    .addHelpText(
      'after',
      '\nRides, walks and other non-runs are skipped with a reason. Runs from the last 42 days also get\n' +
        'their samples (for step-rate analysis). Runs also imported from FIT files are merged, not doubled.\n' +
        'Exit codes: 0 ok (also when stopped at the rate limit: progress is saved), 1 Strava unreachable\n' +
        'or an activity failed, 2 not connected or config error.\n' +
        'Examples:\n  kneecheck strava sync\n  kneecheck strava sync --json --max-wait 0',
    )
    .action((opts: { json?: boolean; maxWait?: number }) =>
      run(async (ctx) => (await import('../strava.ts')).stravaSyncCommand(opts, ctx)),
    );
  stravaCmd
    .command('status')
    .description(
      'the connected athlete, scopes, last sync and rate-limit usage (no request to Strava)',
    )
    .option(
      '--json',
      'print {connected, athlete, scope, lastSyncAt, lastSync, backfillComplete, activities, rateLimit, ...}',
    )
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => (await import('../strava.ts')).stravaStatusCommand(opts, ctx)),
    );
  stravaCmd
    .command('disconnect')
    .description(
      "revoke kneecheck's Strava access, delete the tokens and the runs that came only from Strava",
    )
    .option('--json', 'print {deauthorized, runsDeleted, sourcesRemoved} as JSON')
    .addHelpText(
      'after',
      '\nRuns also imported from FIT files stay.\nExample:\n  kneecheck strava disconnect',
    )
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => (await import('../strava.ts')).stravaDisconnectCommand(opts, ctx)),
    );
  stravaCmd
    .command('webhook')
    .description('Strava push events to the daemon, so new runs arrive within seconds')
    .addArgument(
      new Argument('<action>', 'subscribe, unsubscribe or status').choices([
        'subscribe',
        'unsubscribe',
        'status',
      ]),
    )
    .option(
      '--callback-url <url>',
      'the address Strava reaches the daemon at (default: KNEECHECK_PUBLIC_URL); the secret path /webhooks/strava/<secret> is added',
    )
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nNeeds STRAVA_WEBHOOK_VERIFY_TOKEN, and the daemon (kneecheck start) reachable at the callback URL:\n' +
        'Strava checks it while subscribing. One subscription per Strava app.\n' +
        'Examples:\n  kneecheck strava webhook subscribe\n  kneecheck strava webhook status\n  kneecheck strava webhook unsubscribe',
    )
    .action(
      (
        action: 'subscribe' | 'unsubscribe' | 'status',
        opts: { callbackUrl?: string; json?: boolean },
      ) =>
        run(async (ctx) =>
          (await import('../strava-webhook.ts')).stravaWebhookCommand(action, opts, ctx),
        ),
    );
}

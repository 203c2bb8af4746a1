import type { Command } from 'commander';
import type { RunWork } from './types.ts';

/** `kneecheck intervals connect|sync|status|disconnect` (work: ../intervals.ts). */
export function register(program: Command, run: RunWork): void {
  const cmd = program
    .command('intervals')
    .description(
      'sync your runs from intervals.icu (free; it syncs Garmin, COROS, Polar, Suunto, Wahoo…)',
    )
    .addHelpText(
      'after',
      '\nYour API key is at intervals.icu → Settings → Developer settings.\n' +
        'Examples:\n  kneecheck intervals connect\n  kneecheck intervals sync\n  kneecheck intervals status',
    );
  cmd
    .command('connect')
    .description(
      'check your intervals.icu API key with one request and store it (asks on a terminal)',
    )
    .option('--athlete-id <id>', "your athlete id, like i12345 (default: the key's owner)")
    .option(
      '--api-key <key>',
      'the API key (else asked without echo; on the command line it may stay in your shell history)',
    )
    .option('--json', 'print {athlete:{id, name}} once connected')
    .addHelpText(
      'after',
      '\nThe key is stored in <data dir>/intervals-key.json (readable only by you) and never printed.\n' +
        'Exit code 2 when intervals.icu refuses the key.\n' +
        'Examples:\n  kneecheck intervals connect\n  kneecheck intervals connect --athlete-id i12345 --api-key "$KEY"',
    )
    .action((opts: { athleteId?: string; apiKey?: string; json?: boolean }) =>
      run(async (ctx) => (await import('../intervals.ts')).intervalsConnectCommand(opts, ctx)),
    );
  cmd
    .command('sync')
    .description(
      'import new and changed runs (the first sync reads your whole history, or from --since), notice deletions',
    )
    .option('--since <date>', 'list from this date (YYYY-MM-DD): the first sync starts there')
    .option(
      '--json',
      'print {imported, merged, updated, deleted, skipped:[{activityId, reason}], failed, stravaStubs, apiCalls, complete, stopped}',
    )
    .addHelpText(
      'after',
      '\nEach run is read from its original file (FIT) where intervals.icu has it, else from its summary.\n' +
        'Rides, walks and activities that came from Strava are skipped with a reason. Stopped early\n' +
        '(network, rate limit), the progress is kept and the next sync goes on.\n' +
        'Exit codes: 0 ok (also when intervals.icu asked to wait: progress is saved), 1 unreachable\n' +
        'or an activity failed, 2 not connected or the key refused.\n' +
        'Examples:\n  kneecheck intervals sync\n  kneecheck intervals sync --since 2025-01-01 --json',
    )
    .action((opts: { since?: string; json?: boolean }) =>
      run(async (ctx) => (await import('../intervals.ts')).intervalsSyncCommand(opts, ctx)),
    );
  cmd
    .command('status')
    .description('the connected athlete, last sync and history (no request to intervals.icu)')
    .option(
      '--json',
      'print {connected, athlete, lastSyncAt, lastSync, historyComplete, activities, ...}',
    )
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => (await import('../intervals.ts')).intervalsStatusCommand(opts, ctx)),
    );
  cmd
    .command('disconnect')
    .description('delete the stored API key (runs stay unless --delete-runs)')
    .option('--delete-runs', 'also delete the runs that came only from intervals.icu')
    .option('--json', 'print {keyDeleted, runsDeleted, sourcesRemoved}')
    .action((opts: { json?: boolean; deleteRuns?: boolean }) =>
      run(async (ctx) => (await import('../intervals.ts')).intervalsDisconnectCommand(opts, ctx)),
    );
}

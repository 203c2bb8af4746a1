import type { Command } from 'commander';
import type { RunWork } from './types.ts';

/** `kneecheck start`: the daemon (work: ../start.ts). */
export function register(program: Command, run: RunWork): void {
  program
    .command('start')
    .description(
      'run the daemon: import FIT files dropped into the inbox, prompt and follow up, serve the dashboard',
    )
    .option('--json', 'log JSON lines (default: when stderr is not a terminal)')
    .addHelpText(
      'after',
      '\nStops cleanly on Ctrl+C (SIGINT) or SIGTERM. One daemon per data folder.\n' +
        'Settings: KNEECHECK_INBOX, KNEECHECK_WATCH, KNEECHECK_HOST, KNEECHECK_PORT, KNEECHECK_TOKEN,\n' +
        'KNEECHECK_FOLLOWUP_CRON, NOTIFY_*, STRAVA_* (see .env.example).\n' +
        'Examples:\n  kneecheck start\n  npm start\n  KNEECHECK_WATCH=/media/GARMIN/GARMIN/Activity kneecheck start',
    )
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => (await import('../start.ts')).startCommand(opts, ctx), {
        longLived: true,
      }),
    );
}

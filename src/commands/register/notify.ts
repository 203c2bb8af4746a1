import type { Command } from 'commander';
import { cronLine } from '../defaults.ts';
import type { RunWork } from './types.ts';

/** `kneecheck notify test|status|run-due`: the notification channels and outbox (work: ../notify.ts). */
export function register(program: Command, run: RunWork): void {
  const notify = program
    .command('notify')
    .description(
      'knee-check prompts and follow-ups: test the channels, see the outbox, send what is due',
    );
  notify
    .command('test')
    .description('send a test message to every configured channel and print each result')
    .option('--json', 'print [{channel, ok, error}] as JSON')
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => (await import('../notify.ts')).notifyTestCommand(opts, ctx)),
    );
  notify
    .command('status')
    .description('list the channels (secrets masked), and the pending and failed messages')
    .option('--json', 'print {channels, outbox:{pending, sent, failed}, pending, failed} as JSON')
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => (await import('../notify.ts')).notifyStatusCommand(opts, ctx)),
    );
  notify
    .command('run-due')
    .description(
      'send everything due once: retries, next-morning follow-ups and reminders (for your own cron)',
    )
    .option('--json', 'print {sent, retrying, failed} as JSON')
    .addHelpText(
      'after',
      '\nThe daemon (kneecheck start) does this on KNEECHECK_FOLLOWUP_CRON by itself.\n' +
        'Crontab line for this installation (`crontab -e`; cron has only /usr/bin:/bin on PATH):\n  ' +
        cronLine('notify run-due'),
    )
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => (await import('../notify.ts')).notifyRunDueCommand(opts, ctx)),
    );
}

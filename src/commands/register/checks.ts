import type { Command } from 'commander';
import type { RunWork } from './types.ts';

/** `kneecheck checks`: the knee checks with their ids (work: ../record.ts). */
export function register(program: Command, run: RunWork): void {
  program
    .command('checks')
    .description('list your knee checks, oldest first, with their ids')
    .option('--since <date>', 'only checks made on or after this date (e.g. 2026-11-01)')
    .option('--json', 'print the checks as JSON')
    .action((opts: { since?: string; json?: boolean }) =>
      run(async (ctx) => (await import('../record.ts')).checksCommand(opts, ctx)),
    );
}

import type { Command } from 'commander';
import { BOUNDS } from '../bounds.ts';
import type { RunWork } from './types.ts';

/** `kneecheck runs`: the stored runs, newest first (work: ../runs.ts). */
export function register(program: Command, run: RunWork): void {
  program
    .command('runs')
    .description('list stored runs, newest first')
    .option('--since <date>', 'only runs on or after this date (e.g. 2026-11-01)')
    .option('--limit <n>', `at most this many runs (1 to ${BOUNDS.limit.max})`)
    .option('--json', 'print the runs as JSON (DESIGN §3 fields, null when unknown)')
    .action((opts: { json?: boolean; since?: string; limit?: string }) =>
      run(async (ctx) => (await import('../runs.ts')).runsCommand(opts, ctx)),
    );
}

import type { Command } from 'commander';
import type { RunWork } from './types.ts';

/** `kneecheck sources`: the research behind the advice (work: ../record.ts). */
export function register(program: Command, run: RunWork): void {
  program
    .command('sources')
    .description('the research and guidance behind every piece of advice, with links')
    .option('--json', 'print the source list as JSON')
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => (await import('../record.ts')).sourcesCommand(opts, ctx)),
    );
}

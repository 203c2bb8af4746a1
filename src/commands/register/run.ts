import type { Command } from 'commander';
import type { RunWork } from './types.ts';

/** `kneecheck run exclude|include <id>`: keep a run out of the metrics, or count it again (work: ../correct.ts). */
export function register(program: Command, run: RunWork): void {
  const runCmd = program
    .command('run')
    .description('keep a run out of every metric, or count it again (it stays listed)');
  for (const exclude of [true, false]) {
    const sub = runCmd
      .command(exclude ? 'exclude' : 'include')
      .description(
        exclude
          ? 'keep a run out of every metric (a watch clock never set, a heart-rate strap file)'
          : 'count a run again that was left out (by you, or by kneecheck)',
      )
      .argument('<id>', 'the run id (`kneecheck runs` lists them)');
    if (exclude) sub.option('--reason <text>', 'why, in your words (shown beside the run)');
    sub
      .option('--json', 'print the run as JSON')
      .action((id: string, opts: { reason?: string; json?: boolean }) =>
        run(async (ctx) =>
          (await import('../correct.ts')).runExcludeCommand(id, exclude, opts, ctx),
        ),
      );
  }
}

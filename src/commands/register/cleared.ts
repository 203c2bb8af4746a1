import type { Command } from 'commander';
import type { RunWork } from './types.ts';

/** `kneecheck cleared`: a clinician has seen the knee (work: ../record.ts). */
export function register(program: Command, run: RunWork): void {
  program
    .command('cleared')
    .description(
      'record that a clinician has seen your knee: red flags reported before now stop holding the advice',
    )
    .option('--note <text>', 'what the clinician said, for your record')
    .option('--json', 'print {clearance, advice} as JSON')
    .addHelpText(
      'after',
      '\nA red flag (swelling, locking, giving way, pain for more than a week, pain rising at rest)\n' +
        'keeps the advice at "see a clinician" until you record the visit here.\n' +
        'Example:\n  kneecheck cleared --note "physio: patellofemoral pain, fine to run short and easy"',
    )
    .action((opts: { note?: string; json?: boolean }) =>
      run(async (ctx) => (await import('../record.ts')).clearedCommand(opts, ctx)),
    );
}

import type { Command } from 'commander';
import type { RunWork } from './types.ts';

/** `kneecheck advice`: the current advice and its reasons (work: ../advice.ts). */
export function register(program: Command, run: RunWork): void {
  program
    .command('advice')
    .description('the current advice, with the reasons behind each suggestion')
    .option(
      '--json',
      'print {level, headline, suggestions:[{code, message, because}], generatedAt}',
    )
    .addHelpText(
      'after',
      '\nLevels, worst first: see-doctor, stop, ease-off, caution, ok. Guidance, not a diagnosis.\n' +
        'Examples:\n  kneecheck advice\n  kneecheck advice --json',
    )
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => (await import('../advice.ts')).adviceCommand(opts, ctx)),
    );
}

import type { Command } from 'commander';
import type { RunWork } from './types.ts';

/** `kneecheck pattern`: your knee's own pattern against your load (work: ../pattern.ts). */
export function register(program: Command, run: RunWork): void {
  program
    .command('pattern')
    .description("your knee's own pattern: flares after each kind of run vs the others")
    .option(
      '--json',
      'print {gate:{answeredRuns, flares, needed}, knees:[{knee, exposures:[{exposure, ' +
        'exposed:{runs, flares, rate, interval}, other:{…}, pHigher, grade, overlaps}]}]}',
    )
    .addHelpText(
      'after',
      '\nCompares flares (pain 3/10 or more, or 2 points above the check before the run, within\n' +
        '48 h) after spikes, jump weeks, long runs, low step rate, new shoes and runs the day\n' +
        'after a run with your other runs. Nothing is said before 20 runs with a knee check and\n' +
        '5 flares. A description of your history so far, not a prediction.\n' +
        'Examples:\n  kneecheck pattern\n  kneecheck pattern --json',
    )
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => (await import('../pattern.ts')).patternCommand(opts, ctx)),
    );
}

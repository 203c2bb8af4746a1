import type { Command } from 'commander';
import { DEFAULT_WEEKS } from '../../present/limits.ts';
import type { RunWork } from './types.ts';

/** `kneecheck report`: weekly load and form (work: ../report.ts). */
export function register(program: Command, run: RunWork): void {
  program
    .command('report')
    .description('weekly load and form: distance, ramp, longest run, rest days, step rate, pain')
    .option(
      '--weeks <n>',
      `how many calendar weeks, the current one last (default ${DEFAULT_WEEKS})`,
    )
    .option(
      '--json',
      'print {timezone, weeks:[{weekStart, runs, distanceM, durationS, longestRunM, rampPct, acwr, ' +
        'restDays, avgCadenceSpm, avgStepLengthM, maxPain}]} as JSON',
    )
    .addHelpText(
      'after',
      '\nWeeks run Monday to Monday in your time zone (KNEECHECK_TIMEZONE).\n' +
        'Examples:\n  kneecheck report\n  kneecheck report --weeks 12\n  kneecheck report --json',
    )
    .action((opts: { json?: boolean; weeks?: string }) =>
      run(async (ctx) => (await import('../report.ts')).reportCommand(opts, ctx)),
    );
}

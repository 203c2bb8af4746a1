import { Option, type Command } from 'commander';
import { BOUNDS, boundedInt } from '../bounds.ts';
import type { RunWork } from './types.ts';

/** `kneecheck import <path...>`: FIT files, folders, .fit.gz and .zip exports (work: ../import.ts). */
export function register(program: Command, run: RunWork): void {
  program
    .command('import')
    .description(
      'import runs from FIT files, folders (recursively), .fit.gz files and .zip exports',
    )
    .argument('<path...>', 'files, folders or archives')
    .option('--json', 'print {imported, duplicates, skipped, failed} as JSON')
    .addOption(
      new Option(
        '--workers <n>',
        'decoder threads (default: one per core but one, for 8 files or more)',
      )
        .argParser(boundedInt(BOUNDS.workers))
        .hideHelp(),
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 all good, 1 some files failed (the others were still imported), 2 usage or config error.\n' +
        'Examples:\n  kneecheck import ~/Downloads/run.fit\n  kneecheck import /media/GARMIN/GARMIN/Activity\n  kneecheck import export.zip --json',
    )
    .action((paths: string[], opts: { json?: boolean; workers?: number }) =>
      run(async (ctx) => (await import('../import.ts')).importCommand(paths, opts, ctx)),
    );
}

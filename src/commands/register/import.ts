import { Option, type Command } from 'commander';
import { BOUNDS, boundedInt } from '../bounds.ts';
import type { RunWork } from './types.ts';

/** `kneecheck import <path...>`: FIT, GPX and TCX files (also .gz), folders and .zip exports (work: ../import.ts). */
export function register(program: Command, run: RunWork): void {
  program
    .command('import')
    .description(
      'import runs from FIT, GPX and TCX files (also gzipped), folders (recursively) and .zip exports',
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
        'Rides, walks, planned routes and files that name no sport are reported as skipped, not imported.\n' +
        'Examples:\n  kneecheck import ~/Downloads/run.fit\n  kneecheck import ~/Downloads/Afternoon_Run.gpx ~/Downloads/activity.tcx.gz\n  kneecheck import /media/GARMIN/GARMIN/Activity\n  kneecheck import export.zip --json',
    )
    .action((paths: string[], opts: { json?: boolean; workers?: number }) =>
      run(async (ctx) => (await import('../import.ts')).importCommand(paths, opts, ctx)),
    );
}

import type { Command } from 'commander';
import { defaultDemoDir } from '../defaults.ts';
import type { RunWork } from './types.ts';

/** `kneecheck demo`: a separate data folder with a generated history (work: ../demo.ts). */
export function register(program: Command, run: RunWork): void {
  program
    .command('demo')
    .description(
      'make a separate data folder with a generated beginner history, to try kneecheck out',
    )
    .option('--dir <dir>', `the demo folder, new or empty (default ${defaultDemoDir()})`)
    .option('--json', 'print {dataDir, runs, checks} (the numbers of runs and checks) as JSON')
    .addHelpText(
      'after',
      '\nYour own data is not touched. Running demo again refills the same demo folder.\n' +
        'Examples:\n' +
        '  kneecheck demo\n' +
        '  KNEECHECK_DATA_DIR=' +
        defaultDemoDir() +
        ' kneecheck advice\n' +
        '  kneecheck demo --dir ./demo-data',
    )
    .action((opts: { dir?: string; json?: boolean }) =>
      run(async (ctx) => (await import('../demo.ts')).demoCommand(opts, ctx)),
    );
}

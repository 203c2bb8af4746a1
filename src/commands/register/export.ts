import type { Command } from 'commander';
import type { RunWork } from './types.ts';

/** `kneecheck export`: CSV, JSON and a printable summary page (work: ../export.ts). */
export function register(program: Command, run: RunWork): void {
  program
    .command('export')
    .description(
      'write runs.csv, checks.csv, kneecheck.json (everything) and summary.html (a printable page for your physiotherapist)',
    )
    .option('--out <dir>', 'the folder to write into (default: ./kneecheck-export-<date>)')
    .option('--force', 'replace an earlier export in a folder that is not empty')
    .option('--json', 'print {files:[…]} as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  kneecheck export\n  kneecheck export --out ~/Desktop/for-physio',
    )
    .action((opts: { out?: string; json?: boolean; force?: boolean }) =>
      run(async (ctx) => (await import('../export.ts')).exportCommand(opts, ctx)),
    );
}

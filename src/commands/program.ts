import { Command } from 'commander';
import { COMMANDS, type RunWork } from './register/index.ts';

const VERSION = '0.1.0';

/**
 * Builds the command line: the global options here, each command from its own file under
 * `register/`; `run` receives each command's work and keeps its exit code.
 */
export function buildProgram(run: RunWork): Command {
  const program = new Command('kneecheck')
    .description(
      'A local-first companion for new runners whose knees hurt: imports runs, watches load and ' +
        'stride, asks about the knees, and explains its advice. Guidance, not diagnosis.',
    )
    .version(VERSION)
    .option('--data-dir <dir>', 'where the database lives (KNEECHECK_DATA_DIR)')
    .option(
      '--timezone <zone>',
      'your IANA time zone for weeks and files without one (KNEECHECK_TIMEZONE)',
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of COMMANDS) register(program, run);
  return program;
}

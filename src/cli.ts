#!/usr/bin/env node
// First: on a Node older than 22.22 this stops with one line before any dependency is evaluated.
import './node-floor.ts';
import { Command, CommanderError } from 'commander';
import type { Settings } from './config/index.ts';
import { EXIT, KneecheckError } from './errors.ts';
import { COMMANDS, type RunWork } from './commands/register/index.ts';

const VERSION = '0.1.0';

/**
 * Builds the command line: the global options here, each command from its own file under
 * `commands/register/`; `run` receives each command's work and keeps its exit code.
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

/** Parses `argv`, runs the command, and returns the exit code; all errors are handled here. */
export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(async (work) => {
    const globals = program.opts<{ dataDir?: string; timezone?: string }>();
    const flags: Settings = {};
    if (globals.dataDir !== undefined) flags.KNEECHECK_DATA_DIR = globals.dataDir;
    if (globals.timezone !== undefined) flags.KNEECHECK_TIMEZONE = globals.timezone;
    // Loaded here, not at the top: `--help` and usage errors need neither the settings nor the
    // store (better-sqlite3), and each command loads only its own modules.
    const [{ loadConfig }, { createContext }] = await Promise.all([
      import('./config/index.ts'),
      import('./commands/context.ts'),
    ]);
    code = await work(createContext(loadConfig({ flags })));
  });
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return EXIT.ok;
    }
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof KneecheckError) {
      process.stderr.write(`kneecheck: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(
      `kneecheck: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n` +
        'Please report it with the command you ran.\n',
    );
    return EXIT.someFailed;
  }
}

process.exitCode = await main(process.argv);

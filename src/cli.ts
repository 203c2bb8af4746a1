#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { loadConfig, type Settings } from './config/index.ts';
import { EXIT, KneecheckError } from './errors.ts';
import { createContext, type CommandContext } from './commands/context.ts';
import { importCommand } from './commands/import.ts';
import { runsCommand } from './commands/runs.ts';

const VERSION = '0.1.0';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number.');
  return n;
}

/** Builds the command line; `run` receives each command's work and returns its exit code. */
export function buildProgram(
  run: (work: (ctx: CommandContext) => Promise<number> | number) => Promise<void>,
): Command {
  const program = new Command('kneecheck')
    .description(
      'A local-first companion for new runners whose knees hurt: imports runs, watches load and stride,\n' +
        'asks about the knees, and explains its advice. Guidance, not diagnosis.',
    )
    .version(VERSION)
    .option('--data-dir <dir>', 'where the database lives (KNEECHECK_DATA_DIR)')
    .option(
      '--timezone <zone>',
      'your IANA time zone for weeks and files without one (KNEECHECK_TIMEZONE)',
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('import')
    .description(
      'import runs from FIT files, folders (recursively), .fit.gz files and .zip exports',
    )
    .argument('<path...>', 'files, folders or archives')
    .option('--json', 'print {imported, duplicates, skipped, failed} as JSON')
    .addOption(
      new Option('--workers <n>', 'decoder threads (default: one per core for 8 files or more)')
        .argParser(positiveInt)
        .hideHelp(),
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 all good, 1 some files failed (the others were still imported), 2 usage or config error.\n' +
        'Examples:\n  kneecheck import ~/Downloads/run.fit\n  kneecheck import /media/GARMIN/GARMIN/Activity\n  kneecheck import export.zip --json',
    )
    .action((paths: string[], opts: { json?: boolean; workers?: number }) =>
      run((ctx) => importCommand(paths, opts, ctx)),
    );

  program
    .command('runs')
    .description('list stored runs, newest first')
    .option('--since <date>', 'only runs on or after this date (e.g. 2026-11-01)')
    .option('--limit <n>', 'at most this many runs')
    .option('--json', 'print the runs as JSON (DESIGN §3 fields, null when unknown)')
    .action((opts: { json?: boolean; since?: string; limit?: string }) =>
      run((ctx) => runsCommand(opts, ctx)),
    );

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

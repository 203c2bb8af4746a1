#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { loadConfig, type Settings } from './config/index.ts';
import { EXIT, KneecheckError } from './errors.ts';
import { createContext, type CommandContext } from './commands/context.ts';
import type { CheckOptions } from './commands/check.ts';
import { DEFAULT_WEEKS, defaultDemoDir } from './commands/defaults.ts';

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
      run(async (ctx) => (await import('./commands/import.ts')).importCommand(paths, opts, ctx)),
    );

  program
    .command('runs')
    .description('list stored runs, newest first')
    .option('--since <date>', 'only runs on or after this date (e.g. 2026-11-01)')
    .option('--limit <n>', 'at most this many runs')
    .option('--json', 'print the runs as JSON (DESIGN §3 fields, null when unknown)')
    .action((opts: { json?: boolean; since?: string; limit?: string }) =>
      run(async (ctx) => (await import('./commands/runs.ts')).runsCommand(opts, ctx)),
    );

  program
    .command('check')
    .description(
      'record how your knees feel after a run (or the next morning), then see the advice',
    )
    .argument(
      '[runId]',
      'the run it is about (default: your latest run; `kneecheck runs` lists ids)',
    )
    .option('--pain <0-10>', 'pain from 0 (none) to 10 (worst imaginable); required')
    .option(
      '--where <locations>',
      'where it hurts, comma-separated: front, inside, outside, back (required when pain > 0)',
    )
    .option('--swelling', 'the knee is swollen')
    .option('--locking', 'the knee locks or catches')
    .option('--giving-way', 'the knee gives way')
    .option('--sharp', 'the pain is sharp or constant')
    .option('--changed-gait', 'the pain changed how you ran (limping)')
    .option('--cannot-bear-weight', 'you cannot put weight on the leg')
    .option('--hot-red-fever', 'the knee is hot and red and you have a fever or feel unwell')
    .option('--note <text>', 'anything else worth remembering')
    .option('--json', 'print {check, advice} as JSON')
    .addHelpText(
      'after',
      '\nChecks right after a run and again the next morning tell kneecheck whether the pain settles.\n' +
        'Examples:\n' +
        '  kneecheck check --pain 0\n' +
        '  kneecheck check --pain 2 --where front --note "stairs hurt a bit"\n' +
        '  kneecheck check fit:1a2b3c4d5e6f --pain 4 --where outside,front --sharp',
    )
    .action((runId: string | undefined, opts: CheckOptions) =>
      run(async (ctx) => (await import('./commands/check.ts')).checkCommand(runId, opts, ctx)),
    );

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
      run(async (ctx) => (await import('./commands/report.ts')).reportCommand(opts, ctx)),
    );

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
      run(async (ctx) => (await import('./commands/advice.ts')).adviceCommand(opts, ctx)),
    );

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
      run(async (ctx) => (await import('./commands/demo.ts')).demoCommand(opts, ctx)),
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

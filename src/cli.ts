#!/usr/bin/env node
// First: on a Node older than 22.22 this stops with one line before any dependency is evaluated.
import './node-floor.ts';
import type { CommandContext } from './commands/context.ts';
import type { RunWork, WorkOptions } from './commands/register/types.ts';
import type { Settings } from './config/index.ts';
import { EXIT, KneecheckError } from './errors.ts';

type Work = (ctx: CommandContext) => Promise<number> | number;

/**
 * The commands run most (and from scripts and cron): `advice` and `report`, alone or with
 * `--json`, and `import` of paths with or without `--json`, run without building the command
 * line, so neither commander nor any other command's declaration is loaded. The options they get
 * are the ones commander would hand them for the same words; every other command line (another
 * option, a path starting with `-`, no path) goes through {@link buildProgram}.
 */
function direct(args: readonly string[]): Work | null {
  const [command, ...rest] = args;
  const json = rest.includes('--json');
  const opts = json ? { json: true } : {};
  const words = rest.filter((a) => a !== '--json');
  if (command === 'import') {
    if (words.length === 0 || words.some((a) => a.startsWith('-'))) return null;
    return async (ctx) => (await import('./commands/import.ts')).importCommand(words, opts, ctx);
  }
  if (words.length > 0 || rest.length > 1) return null;
  switch (command) {
    case 'advice':
      return async (ctx) => (await import('./commands/advice.ts')).adviceCommand(opts, ctx);
    case 'report':
      return async (ctx) => (await import('./commands/report.ts')).reportCommand(opts, ctx);
    default:
      return null;
  }
}

/** Runs one command's work with the settings from the environment, the `.env` and `flags`. */
async function runWork(work: Work, flags: Settings, opts: WorkOptions = {}): Promise<number> {
  // Loaded here, not at the top: `--help` and usage errors need neither the settings nor the
  // store (better-sqlite3), and each command loads only its own modules.
  const [{ loadConfig }, { createContext }, { useEnglish, useProcessZone }] = await Promise.all([
    import('./config/index.ts'),
    import('./commands/context.ts'),
    import('./load/zone.ts'),
  ]);
  useEnglish();
  const config = loadConfig({ flags });
  // The runner's zone as the process's own: no Intl formatter at start-up (10 ms). Not for the
  // daemon: its cron and logs keep the system's zone.
  if (!opts.longLived) useProcessZone(config.timezone);
  return work(createContext(config));
}

/** Parses `argv`, runs the command, and returns the exit code; all errors are handled here. */
export async function main(argv: string[]): Promise<number> {
  try {
    const work = direct(argv.slice(2));
    if (work) return await runWork(work, {});
    const [{ buildProgram }, { CommanderError }] = await Promise.all([
      import('./commands/program.ts'),
      import('commander'),
    ]);
    let code: number = EXIT.ok;
    const run: RunWork = async (w, opts) => {
      const globals = program.opts<{ dataDir?: string; timezone?: string }>();
      const flags: Settings = {};
      if (globals.dataDir !== undefined) flags.KNEECHECK_DATA_DIR = globals.dataDir;
      if (globals.timezone !== undefined) flags.KNEECHECK_TIMEZONE = globals.timezone;
      code = await runWork(w, flags, opts);
    };
    const program = buildProgram(run);
    if (argv.length <= 2) {
      program.outputHelp();
      return EXIT.ok;
    }
    try {
      await program.parseAsync(argv);
    } catch (e) {
      // --help and --version end here too, with exit code 0.
      if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
      throw e;
    }
    return code;
  } catch (e) {
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

// Output piped into a reader that stops early (`kneecheck runs --json | head`): stop quietly, as
// other command-line tools do, instead of a stack trace for the EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? EXIT.ok);
  });
}

process.exitCode = await main(process.argv);

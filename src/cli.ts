#!/usr/bin/env node
// First: on a Node older than 22.22 this stops with one line before any dependency is evaluated.
import './node-floor.ts';
import type { CommandContext } from './commands/context.ts';
import type { RunWork, WorkOptions } from './commands/register/types.ts';
import type { Settings } from './config/index.ts';
import { quickLine } from './commands/quick.ts';
import { EXIT, failed } from './errors.ts';
import { quietOnClosedPipe } from './stdio.ts';

type Work = (ctx: CommandContext) => Promise<number> | number;

/** The quick command lines ({@link quickLine}) as work, without commander. */
function direct(args: readonly string[]): Work | null {
  const line = quickLine(args);
  if (line === null) return null;
  const opts = line.json ? { json: true } : {};
  switch (line.command) {
    case 'advice':
      return async (ctx) => (await import('./commands/advice.ts')).adviceCommand(opts, ctx);
    case 'report':
      return async (ctx) => (await import('./commands/report.ts')).reportCommand(opts, ctx);
    case 'import':
      return async (ctx) =>
        (await import('./commands/import.ts')).importCommand(line.paths, opts, ctx);
  }
}

/** Runs one command's work with the settings from the environment, the `.env` and `flags`. */
async function runWork(work: Work, flags: Settings, opts: WorkOptions = {}): Promise<number> {
  // Loaded here, not at the top: `--help` and usage errors need neither the settings nor the
  // store (better-sqlite3), and each command loads only its own modules.
  const { contextFor } = await import('./commands/context.ts');
  return work(contextFor(flags, opts));
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
    return failed(e);
  }
}

quietOnClosedPipe();
process.exitCode = await main(process.argv);

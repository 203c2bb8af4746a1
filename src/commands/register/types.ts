import type { Command } from 'commander';
import type { CommandContext } from '../context.ts';

/**
 * Runs one command's work: builds the context from the global flags (settings, store, logger),
 * calls `work`, and keeps its exit code for `main` (src/cli.ts). Each command loads its own
 * modules inside `work`, so `--help` and usage errors load none of them.
 */
export type RunWork = (
  work: (ctx: CommandContext) => Promise<number> | number,
  opts?: WorkOptions,
) => Promise<void>;

/** How a command runs. */
export interface WorkOptions {
  /**
   * The daemon: it keeps the system's zone as the process's own (its cron and logs), where a
   * one-shot command takes the runner's zone for it (no `Intl` formatter at start-up).
   */
  longLived?: boolean;
}

/** Adds one top-level command, with its subcommands, options and help, to the program. */
export type Register = (program: Command, run: RunWork) => void;

/**
 * commander hands an option given after a subcommand (`check delete 3 --json`) to the parent
 * when the parent has an option of that name: the subcommands read `--json` from either.
 */
export const withParentJson =
  (parent: Command) =>
  <T extends { json?: boolean }>(opts: T): T => ({
    ...opts,
    json: opts.json === true || parent.opts<{ json?: boolean }>().json === true,
  });

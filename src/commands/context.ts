import fs from 'node:fs';
import { demoNotice } from '../config/demo.ts';
import { clock, loadConfig, secretValues, type Config, type Settings } from '../config/index.ts';
import { KneecheckError } from '../errors.ts';
import { useEnglish, useProcessZone } from '../load/zone.ts';
import { createLogger, type Logger } from '../log.ts';
import { stdio, type Output } from '../stdio.ts';
import { Store } from '../store/index.ts';

/** What every command gets: the loaded config, the clock, and the store opened on demand. */
export interface CommandContext {
  config: Config;
  now: () => Date;
  openStore(): Store;
  stdout: Output;
  stderr: Output;
  /** Warnings and errors of side effects (notifications) on stderr, secrets masked. */
  log: Logger;
}

/**
 * The context of one command run with the settings from the environment, the `.env` and `flags`.
 * Luxon writes English; and but for the daemon (`longLived`: its cron and logs keep the system's
 * zone), the runner's zone becomes the process's own, so no Intl formatter is built (10 ms).
 */
export function contextFor(flags: Settings, opts: { longLived?: boolean } = {}): CommandContext {
  useEnglish();
  const config = loadConfig({ flags });
  if (!opts.longLived) useProcessZone(config.timezone);
  return createContext(config, opts.longLived === true);
}

/**
 * A one-shot command writes a pipe or a file directly ({@link stdio}); the daemon keeps the
 * process's streams (asynchronous where Node makes them so: a slow log reader never blocks it).
 */
function createContext(config: Config, longLived: boolean): CommandContext {
  const stdout = longLived ? process.stdout : stdio(1);
  const stderr = longLived ? process.stderr : stdio(2);
  if (config.demo !== null && config.demo.ignored.length > 0) {
    stderr.write(demoNotice(config.dataDir, config.demo.ignored));
  }
  return {
    config,
    now: clock(config),
    openStore() {
      try {
        fs.mkdirSync(config.dataDir, { recursive: true });
        return Store.open(config.dataDir);
      } catch (e) {
        throw new KneecheckError(
          `cannot open the database in ${config.dataDir} (KNEECHECK_DATA_DIR): ${(e as Error).message}`,
          { cause: e },
        );
      }
    },
    stdout,
    stderr,
    log: createLogger({
      stream: stderr,
      level: 'warn',
      secrets: secretValues(config),
      now: clock(config),
    }),
  };
}

export const printJson = (ctx: CommandContext, value: unknown): void => {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};

import fs from 'node:fs';
import { demoNotice } from '../config/demo.ts';
import { clock, loadConfig, secretValues, type Config, type Settings } from '../config/index.ts';
import { KneecheckError } from '../errors.ts';
import { useEnglish, useProcessZone } from '../load/zone.ts';
import { createLogger, type Logger } from '../log.ts';
import { Store } from '../store/index.ts';

/** What every command gets: the loaded config, the clock, and the store opened on demand. */
export interface CommandContext {
  config: Config;
  now: () => Date;
  openStore(): Store;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
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
  return createContext(config);
}

function createContext(config: Config): CommandContext {
  if (config.demo !== null && config.demo.ignored.length > 0) {
    process.stderr.write(demoNotice(config.dataDir, config.demo.ignored));
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
    stdout: process.stdout,
    stderr: process.stderr,
    log: createLogger({
      stream: process.stderr,
      level: 'warn',
      secrets: secretValues(config),
      now: clock(config),
    }),
  };
}

export const printJson = (ctx: CommandContext, value: unknown): void => {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};

import v8 from 'node:v8';
import { secretValues } from '../config/index.ts';
import { startDaemon } from '../daemon/start.ts';
import { EXIT } from '../errors.ts';
import { createLogger } from '../log.ts';
import type { CommandContext } from './context.ts';

/** How far (percent) the daemon's heap grows past its live size before a full collection. */
const DAEMON_HEAP_GROWING_PERCENT = 200;

/**
 * `kneecheck start`: runs the daemon until SIGINT or SIGTERM, then shuts down cleanly (the file in
 * hand is finished, the outbox flushed, the database closed). Logs go to stderr: readable on a
 * terminal, JSON lines otherwise.
 */
export async function startCommand(opts: { json?: boolean }, ctx: CommandContext): Promise<number> {
  const log = createLogger({
    stream: ctx.stderr,
    secrets: secretValues(ctx.config),
    now: ctx.now,
    ...(opts.json === undefined ? {} : { json: opts.json }),
  });
  // A promise some part forgot to handle is a bug to log, not a reason to stop importing runs.
  process.on('unhandledRejection', (reason) => {
    log.error('unhandled rejection (please report it)', {
      error: reason instanceof Error ? reason : String(reason),
    });
  });
  // A long-lived process with a small heap: V8 lets its old generation grow only a little past
  // what is alive (~14 MB) before the next full collection, so a burst of dropped files ran ~19
  // full collections where one `kneecheck import` of the same files runs one. Growing by 3x
  // between collections (a heap of ~40 MB) brings that to ~3. V8 reads this flag at each
  // collection, so it can be set here, for the daemon only.
  v8.setFlagsFromString(`--heap-growing-percent=${DAEMON_HEAP_GROWING_PERCENT}`);
  const daemon = await startDaemon(ctx.config, log);
  const { config } = ctx;
  ctx.stdout.write(
    `kneecheck is running.\n` +
      `  Dashboard: ${daemon.url}\n` +
      `  Drop FIT, GPX or TCX files (or zips of them) into: ${config.inbox}\n` +
      (config.watch.length > 0 ? `  Also watching (read-only): ${config.watch.join(', ')}\n` : '') +
      `  Data: ${config.dataDir}\n` +
      `Press Ctrl+C to stop.\n`,
  );
  log.info('daemon started', { url: daemon.url, inbox: config.inbox, pid: process.pid });
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log.info(`stopping (${signal})`);
  await daemon.close();
  log.info('stopped');
  return EXIT.ok;
}

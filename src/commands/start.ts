import { secretValues } from '../config/index.ts';
import { startDaemon } from '../daemon/start.ts';
import { EXIT } from '../errors.ts';
import { createLogger } from '../log.ts';
import type { CommandContext } from './context.ts';

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
  const daemon = await startDaemon(ctx.config, log);
  const { config } = ctx;
  ctx.stdout.write(
    `kneecheck is running.\n` +
      `  Dashboard: ${daemon.url}\n` +
      `  Drop FIT files into: ${config.inbox}\n` +
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

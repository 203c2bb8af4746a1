import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { serve, type ServerType } from '@hono/node-server';
import { inboxError, inboxProblem } from '../config/folders.ts';
import { clock, stravaConfigured, type Config } from '../config/index.ts';
import { KneecheckError } from '../errors.ts';
import { uploadImporter } from '../import/pipeline.ts';
import type { Logger } from '../log.ts';
import type { Run } from '../model.ts';
import { deliverDue } from '../notify/deliver.ts';
import type { NotifyDeps } from '../notify/deps.ts';
import { notifyCheck, notifyNewRuns, runDue } from '../notify/index.ts';
import { baseUrl } from '../notify/templates.ts';
import { Store } from '../store/index.ts';
import type { StravaDeps } from '../strava/session.ts';
import { createApp } from '../web/app.ts';
import { accessMode } from '../web/security.ts';
import { acquireLock, type Lock } from './lock.ts';
import { startReplySubscriber, type ReplySubscriber } from './reply-subscriber.ts';
import { schedule, settingsLastRuns, type ScheduledJob } from './schedule.ts';
import { isActivityName } from '../../importers/names.ts';
import { startWatcher, type InboxWatcher } from './watch/watcher.ts';

/** How often the outbox is looked at for retries that became due. */
const OUTBOX_POLL_MS = 30_000;
/** In a burst of files, new runs wait at most this long for the burst's end to be prompted for. */
const PROMPT_BURST_MAX_MS = 10_000;
/** At shutdown, sending what is due may take this long. */
const FLUSH_TIMEOUT_MS = 5_000;

/** A running daemon. */
export interface Daemon {
  /** The dashboard's URL, e.g. `http://127.0.0.1:7117/`. */
  url: string;
  /** Stops everything in order: web server, watcher (the file in hand), schedules, outbox flush, database, lock. */
  close(): Promise<void>;
}

/** The user's home folder, or null when there is none to speak of. */
function homeFolder(): string | null {
  try {
    return os.homedir() || null;
  } catch {
    return null;
  }
}

function listen(
  app: ReturnType<typeof createApp>,
  host: string,
  port: number,
): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(server));
    server.once('error', (e: NodeJS.ErrnoException) => {
      const why =
        e.code === 'EADDRINUSE'
          ? `port ${port} is already in use by another program; set KNEECHECK_PORT to a free port`
          : e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND'
            ? `${host} is not an address of this machine; check KNEECHECK_HOST`
            : e.message;
      reject(
        new KneecheckError(`cannot serve the dashboard on ${host}:${port}: ${why}`, { cause: e }),
      );
    });
  });
}

/**
 * `kneecheck start`: one process that imports every FIT file dropped into the inbox or found on a
 * mounted watch, prompts and follows up, and serves the dashboard (DESIGN §2, §5, §6, §8). One
 * daemon per data folder (a lock file).
 */
export async function startDaemon(config: Config, log: Logger): Promise<Daemon> {
  // Before anything is made: an inbox that is not kneecheck's own would have the user's files moved.
  const notOurs = inboxProblem(config.inbox, {
    home: homeFolder(),
    dataDir: config.dataDir,
    isActivity: isActivityName,
  });
  if (notOurs !== null) throw inboxError(config.inbox, notOurs, config.dataDir);
  fs.mkdirSync(config.dataDir, { recursive: true });
  const lock: Lock = acquireLock(config.dataDir);
  const cleanups: (() => Promise<void> | void)[] = [() => lock.release()];
  const cleanup = async (): Promise<void> => {
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch (e) {
        log.error('shutdown step failed', { error: e as Error });
      }
    }
  };
  try {
    const store = Store.open(config.dataDir);
    cleanups.push(() => store.close());
    const now = clock(config);

    // The web server first: the real port (KNEECHECK_PORT=0 picks one) goes into every link.
    let live: Config = config;
    const deps: NotifyDeps = {
      store,
      get config() {
        return live;
      },
      now,
      log: log.child({ part: 'notify' }),
    };
    let watcher: InboxWatcher | null = null;
    let replies: ReplySubscriber | null = null;
    const jobs: ScheduledJob[] = [];
    const strava: StravaDeps | null = stravaConfigured(config)
      ? {
          store,
          get config() {
            return live;
          },
          now,
          log: log.child({ part: 'strava' }),
          // A scheduled sync may wait this long for a rate-limit window, then resumes next time.
          maxWaitMs: 60_000,
          notify: (runs) => notifyNewRuns(deps, runs),
        }
      : null;
    // Loaded only when Strava is configured: its client (strava-v3, axios) costs ~30 MB.
    const stravaWeb = strava ? await import('../strava/webhook.ts') : null;
    const stravaRoutes = strava && stravaWeb ? stravaWeb.stravaWebHandlers(strava) : null;
    const app = createApp({
      store,
      config,
      now,
      log: log.child({ part: 'web' }),
      health: () => ({
        watcher: watcher?.status() ?? null,
        outbox: store.outbox.counts(),
        schedules: jobs.map((j) => j.status()),
        strava: stravaRoutes ? { lastSync: stravaRoutes.lastSync() } : 'not configured',
        replies: replies?.status() ?? 'not configured',
      }),
      ...(stravaRoutes ? { strava: stravaRoutes } : {}),
      onCheck: (recorded) => notifyCheck(deps, recorded),
      onImported: (runs) => notifyNewRuns(deps, runs),
      // Files from the page go through the CLI's import pipeline (the web app decodes nothing).
      importFiles: uploadImporter(store, config.timezone, now),
    });
    const server = await listen(app, config.host, config.port);
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ('closeAllConnections' in server) server.closeAllConnections();
        }),
    );
    const port = (server.address() as AddressInfo).port;
    live = { ...config, port };
    log.info(accessMode(config));

    const lastRuns = settingsLastRuns(store.settings);
    const scheduleLog = log.child({ part: 'schedule' });
    jobs.push(
      schedule('follow-ups', config.followupCron, config.timezone, () => runDue(deps), {
        logger: scheduleLog,
        lastRuns,
      }),
    );
    if (strava) {
      const { scheduledSync } = await import('../strava/sync.ts');
      const sync = () => scheduledSync(strava);
      jobs.push(
        schedule('strava-sync', config.strava.syncCron, config.timezone, sync, {
          logger: scheduleLog,
          lastRuns,
        }),
      );
    }
    // intervals.icu: scheduled always (a connect while the daemon runs is picked up), and run
    // once at start when connected. A stop aborts a sync between requests, progress saved.
    const intervalsStop = new AbortController();
    const { readKey } = await import('../intervals/key.ts');
    const intervalsConnected = readKey(config.dataDir) !== null;
    const intervalsSync = async () => {
      if (readKey(config.dataDir) === null) return;
      const { scheduledIntervalsSync } = await import('../intervals/sync.ts');
      const { DAEMON_PACE_MS } = await import('../intervals/deps.ts');
      await scheduledIntervalsSync({
        store,
        get config() {
          return live;
        },
        now,
        log: log.child({ part: 'intervals' }),
        signal: intervalsStop.signal,
        paceMs: DAEMON_PACE_MS,
        notify: (runs) => notifyNewRuns(deps, runs),
      });
    };
    const intervalsJob = schedule(
      'intervals-sync',
      config.intervals.syncCron,
      config.timezone,
      intervalsSync,
      { logger: scheduleLog, lastRuns, catchUpOnStart: false },
    );
    jobs.push(intervalsJob);
    if (intervalsConnected) void intervalsJob.runNow('manual');
    cleanups.push(() => Promise.all(jobs.map((j) => j.stop())).then(() => undefined));
    cleanups.push(() => intervalsStop.abort());
    if (stravaRoutes) cleanups.push(() => stravaRoutes.idle());

    let flushing: Promise<unknown> = Promise.resolve();
    const poll = setInterval(() => {
      const due = store.outbox.nextDueUnix();
      if (due !== null && due <= now().getTime() / 1000) flushing = deliverDue(deps).catch(() => 0);
    }, OUTBOX_POLL_MS);
    cleanups.push(async () => {
      clearInterval(poll);
      await flushing;
      // Flush what is due, but never hang the shutdown on a channel that is down.
      await Promise.race([
        deliverDue({ ...deps, sendTimeoutMs: FLUSH_TIMEOUT_MS }),
        new Promise((r) => setTimeout(r, FLUSH_TIMEOUT_MS).unref()),
      ]);
    });

    // Answers from the phone come back through the ntfy reply topic (DESIGN §6).
    replies = startReplySubscriber({ notify: deps });
    const r = replies;
    if (r) cleanups.push(() => r.close());

    // New runs are prompted for (and the advice evaluated) once a burst of files is in, not after
    // each batch of it: a watch syncing many runs asks once, for the newest (notifyNewRuns).
    let unprompted: Run[] = [];
    let firstUnpromptedAt = 0;
    const prompt = async (): Promise<void> => {
      const runs = unprompted;
      unprompted = [];
      if (runs.length > 0) await notifyNewRuns(deps, runs);
    };
    watcher = await startWatcher({
      inbox: config.inbox,
      sources: config.watch,
      store,
      timezone: config.timezone,
      now,
      logger: log.child({ part: 'watch' }),
      onImported: async (report, { more }) => {
        if (unprompted.length === 0) firstUnpromptedAt = Date.now();
        for (const i of report.imported) unprompted.push(i.run);
        if (!more || Date.now() - firstUnpromptedAt >= PROMPT_BURST_MAX_MS) await prompt();
      },
    });
    const w = watcher;
    // Runs of a burst cut short by the shutdown are prompted for before the outbox is flushed.
    cleanups.push(prompt);
    cleanups.push(() => w.close());

    return { url: `${baseUrl(live)}/`, close: cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

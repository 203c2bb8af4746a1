import { loadConfig } from '../../src/config/index.ts';
import { createLogger, silentLogger, type Logger } from '../../src/log.ts';
import type { Run } from '../../src/model.ts';
import { Store } from '../../src/store/index.ts';
import { beginConnect, handleOAuthCallback } from '../../src/strava/oauth.ts';
import type { StravaDeps } from '../../src/strava/session.ts';
import type { FakeStrava } from '../support/fake-strava.ts';
import { tempDir } from '../support/paths.ts';

export interface TestDeps extends StravaDeps {
  /** Runs handed to the notifier, per call. */
  notified: Run[][];
  dataDir: string;
}

/** Deps for in-process calls against `fake`, in a fresh data folder. */
export function makeDeps(
  fake: FakeStrava,
  opts: { now?: string; env?: Record<string, string>; log?: Logger; dataDir?: string } = {},
): TestDeps {
  const dataDir = opts.dataDir ?? tempDir('kneecheck-strava-');
  const config = loadConfig({
    env: {
      KNEECHECK_DATA_DIR: dataDir,
      KNEECHECK_TIMEZONE: 'Europe/Berlin',
      STRAVA_WEBHOOK_VERIFY_TOKEN: 'verify-me-please',
      ...(opts.now ? { KNEECHECK_NOW: opts.now } : {}),
      ...fake.env(),
      ...opts.env,
    },
    envFile: '/nonexistent/.env',
  });
  const notified: Run[][] = [];
  const fixed = opts.now ? new Date(opts.now) : null;
  return {
    store: Store.open(dataDir),
    config,
    now: () => fixed ?? new Date(),
    log: opts.log ?? silentLogger,
    backoffMs: 5,
    notify: (runs) => {
      notified.push([...runs]);
      return Promise.resolve();
    },
    notified,
    dataDir,
  };
}

/** Runs the OAuth flow in-process: authorize at the fake (auto-approved), then the callback. */
export async function connect(
  deps: StravaDeps,
  redirectUri = 'http://127.0.0.1:9/strava/callback',
) {
  const { url } = beginConnect(deps, redirectUri);
  const res = await fetch(url, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (!location) throw new Error(`authorize answered ${res.status}`);
  return handleOAuthCallback(deps, new URL(location).searchParams);
}

/** A logger writing into `lines` (to check what is logged). */
export function captureLogger(lines: string[]): Logger {
  return createLogger({
    stream: { write: (s: string) => lines.push(s) },
    json: true,
    level: 'debug',
  });
}

import type { Config } from '../config/index.ts';
import { ConfigError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Run } from '../model.ts';
import { notifyNewRuns } from '../notify/index.ts';
import type { Store } from '../store/index.ts';
import { RateBudget, type RateLimitState } from './budget.ts';
import { StravaApi, StravaOAuth, type StravaEndpoints } from './client.ts';
import { Transport } from './http.ts';
import { NotConnectedError, TokenKeeper } from './tokens.ts';

/**
 * What the Strava parts need (the CLI and the daemon pass the same): the store, the config, the
 * clock for run data (KNEECHECK_NOW in tests), a logger, and optional test seams.
 */
export interface StravaDeps {
  store: Store;
  config: Config;
  /** The clock for run data (streams window, 48 h prompts). */
  now: () => Date;
  log: Logger;
  /** HTTP (default: global fetch). */
  fetch?: typeof fetch;
  /** Real time, ms, for token expiry and rate windows (default Date.now; not KNEECHECK_NOW). */
  nowMs?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Longest wait for a rate-limit window before stopping with progress saved (default 0). */
  maxWaitMs?: number;
  /** First retry backoff after a 5xx or network error, ms (default 500). */
  backoffMs?: number;
  /** Called with the runs a sync or webhook imported (default: notifyNewRuns; never throws). */
  notify?: (runs: readonly Run[]) => Promise<unknown>;
}

/** Settings keys (the `settings` table). */
export const SETTINGS = {
  sync: 'strava.sync',
  rateLimit: 'strava.rateLimit',
  oauthState: 'strava.oauthState',
  /** Strava's API application answered "Inactive" (src/strava/inactive.ts). */
  inactive: 'strava.inactive',
} as const;

/** An open connection to Strava for one command or event: clients, tokens, budget. */
export interface StravaSession {
  api: StravaApi;
  oauth: StravaOAuth;
  tokens: TokenKeeper;
  transport: Transport;
  /** Saves the rate-limit usage seen, for `strava status` and the next process. */
  saveBudget(): RateLimitState | null;
}

/** STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET with the base URLs; a ConfigError when unset. */
export function endpointsOf(config: Config): StravaEndpoints {
  const { clientId, clientSecret, apiUrl, oauthUrl } = config.strava;
  if (clientId === null) {
    throw new ConfigError(
      'STRAVA_CLIENT_ID',
      'the numeric client id of your Strava API app (https://www.strava.com/settings/api)',
    );
  }
  if (clientSecret === null) {
    throw new ConfigError('STRAVA_CLIENT_SECRET', 'the client secret of your Strava API app');
  }
  return { clientId, clientSecret, apiUrl, oauthUrl };
}

/** Opens a session; `requireTokens` (default) throws {@link NotConnectedError} when not connected. */
export function openSession(deps: StravaDeps, requireTokens = true): StravaSession {
  const endpoints = endpointsOf(deps.config);
  const settings = deps.store.settings;
  const nowMs = deps.nowMs ?? Date.now;
  const budget = new RateBudget({
    nowMs,
    state: settings.get<RateLimitState>(SETTINGS.rateLimit),
  });
  const transport = new Transport({
    budget,
    log: deps.log,
    nowMs,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.backoffMs === undefined ? {} : { backoffMs: deps.backoffMs }),
    maxWaitMs: deps.maxWaitMs ?? 0,
  });
  const oauth = new StravaOAuth(endpoints, transport);
  const tokens = new TokenKeeper({
    dataDir: deps.config.dataDir,
    refresh: (rt) => oauth.refresh(rt),
    nowMs,
  });
  if (requireTokens && !tokens.tokens) throw new NotConnectedError();
  return {
    api: new StravaApi(endpoints, transport, tokens),
    oauth,
    tokens,
    transport,
    saveBudget() {
      const s = budget.snapshot();
      if (s) settings.set(SETTINGS.rateLimit, s, deps.now().toISOString());
      return s;
    },
  };
}

/** Tells the notifier about new runs; a failing notifier never fails the import. */
export async function announce(deps: StravaDeps, runs: readonly Run[]): Promise<void> {
  if (runs.length === 0) return;
  try {
    if (deps.notify) await deps.notify(runs);
    else await notifyNewRuns(deps, runs);
  } catch (e) {
    deps.log.warn('notifying about new runs failed', { error: e as Error });
  }
}

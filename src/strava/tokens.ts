import fs from 'node:fs';
import path from 'node:path';
import { EXIT, KneecheckError } from '../errors.ts';
import type { StravaAthlete, StravaTokenResponse } from '../../importers/strava-api.ts';
import { removeSecretFile, writeSecretJson } from '../secret-file.ts';

/** The token file in the data folder; 0600 (DESIGN §8), never printed. */
export const TOKENS_FILE = 'strava-tokens.json';
/** Refresh this long before the access token expires (Strava: tokens last 6 h). */
export const REFRESH_MARGIN_S = 5 * 60;

export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
  /** Unix seconds. */
  expiresAt: number;
  /** Scopes granted, e.g. `["read", "activity:read_all"]`. */
  scope: string[];
  athlete: { id: number; name: string; username: string | null };
  /** ISO time of the connect. */
  connectedAt: string;
}

export const tokensPath = (dataDir: string): string => path.join(dataDir, TOKENS_FILE);

export function athleteName(a: StravaAthlete | null | undefined): string {
  const name = [a?.firstname, a?.lastname].filter((s) => s && s.trim()).join(' ');
  return name || a?.username || (a ? `athlete ${a.id}` : 'unknown athlete');
}

export function readTokens(dataDir: string): StoredTokens | null {
  let text: string;
  try {
    text = fs.readFileSync(tokensPath(dataDir), 'utf8');
  } catch {
    return null;
  }
  try {
    const t = JSON.parse(text) as StoredTokens;
    return typeof t.accessToken === 'string' && typeof t.refreshToken === 'string' ? t : null;
  } catch {
    return null;
  }
}

/** Writes the token file atomically with mode 0600, whatever the umask. */
export function writeTokens(dataDir: string, t: StoredTokens): void {
  writeSecretJson(tokensPath(dataDir), t);
}

export function deleteTokens(dataDir: string): boolean {
  return removeSecretFile(tokensPath(dataDir));
}

export class NotConnectedError extends KneecheckError {
  constructor(why = 'not connected to Strava') {
    super(`${why}: run \`kneecheck strava connect\` first`, { exitCode: EXIT.usage });
    this.name = 'NotConnectedError';
  }
}

/**
 * Hands out a valid access token, refreshing it ({@link REFRESH_MARGIN_S}) before it expires or
 * when Strava refuses it. One refresh at a time; every token ever held is remembered so output
 * can be checked for them.
 */
export class TokenKeeper {
  readonly #dataDir: string;
  readonly #refresh: (refreshToken: string) => Promise<StravaTokenResponse>;
  readonly #nowS: () => number;
  #tokens: StoredTokens | null;
  #pending: Promise<StoredTokens> | null = null;
  readonly #seen = new Set<string>();

  constructor(opts: {
    dataDir: string;
    refresh: (refreshToken: string) => Promise<StravaTokenResponse>;
    nowMs?: () => number;
  }) {
    this.#dataDir = opts.dataDir;
    this.#refresh = opts.refresh;
    const nowMs = opts.nowMs ?? Date.now;
    this.#nowS = () => nowMs() / 1000;
    this.#tokens = readTokens(opts.dataDir);
    this.#remember(this.#tokens);
  }

  get tokens(): StoredTokens | null {
    return this.#tokens;
  }

  /** Every access and refresh token this keeper has held (for masking). */
  get secrets(): string[] {
    return [...this.#seen];
  }

  #remember(t: StoredTokens | null): void {
    if (t) this.#seen.add(t.accessToken).add(t.refreshToken);
  }

  /** Stores tokens from a token exchange or refresh response. */
  save(
    res: StravaTokenResponse,
    base: Omit<StoredTokens, 'accessToken' | 'refreshToken' | 'expiresAt'>,
  ) {
    const t: StoredTokens = {
      ...base,
      accessToken: res.access_token,
      refreshToken: res.refresh_token,
      expiresAt: res.expires_at,
    };
    writeTokens(this.#dataDir, t);
    this.#tokens = t;
    this.#remember(t);
    return t;
  }

  /** A token valid for at least the margin; refreshes when it is not. */
  async accessToken(): Promise<string> {
    const t = this.#tokens;
    if (!t) throw new NotConnectedError();
    if (t.expiresAt - REFRESH_MARGIN_S > this.#nowS()) return t.accessToken;
    return (await this.refresh(t.accessToken)).accessToken;
  }

  /**
   * Refreshes, unless another caller already replaced `staleToken` (then that result is used):
   * parallel requests that all saw a 401 refresh once.
   */
  async refresh(staleToken?: string): Promise<StoredTokens> {
    const t = this.#tokens;
    if (!t) throw new NotConnectedError();
    if (staleToken !== undefined && t.accessToken !== staleToken) {
      if (t.expiresAt - REFRESH_MARGIN_S > this.#nowS()) return t;
    }
    this.#pending ??= (async () => {
      try {
        const res = await this.#refresh(t.refreshToken);
        const base = { scope: t.scope, athlete: t.athlete, connectedAt: t.connectedAt };
        return this.save(res, base);
      } finally {
        this.#pending = null;
      }
    })();
    return this.#pending;
  }
}

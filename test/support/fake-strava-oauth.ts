/**
 * The OAuth side of the fake Strava (fake-strava.ts): /oauth/authorize (auto-approves with a 302
 * to the redirect URI), /oauth/token (authorization_code and refresh_token), /oauth/revoke
 * (client credentials by HTTP Basic, `token` in the body), the retired /oauth/deauthorize (still
 * used by tests to play the runner revoking access on strava.com), and the tokens handed out.
 */
import type http from 'node:http';
import {
  ERROR_401,
  ERROR_404,
  OAUTH_400,
  hex,
  summaryAthlete,
  type Json,
} from './fake-strava-data.ts';

export interface TokenInfo {
  access: string;
  refresh: string;
  expiresAt: number;
  /** The access token no longer works (the refresh token may). */
  revoked: boolean;
  /** The refresh token was used or the athlete deauthorized. */
  refreshUsed: boolean;
}

/** What the OAuth endpoints read from (and set on) the fake: its public settings. */
export interface OAuthHost {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly athleteId: number;
  /** Every token and code handed out is added here. */
  readonly issued: Set<string>;
  denyNextAuthorize: boolean;
  grantedScope: string;
}

export type Send = (status: number, body: unknown, headers?: Record<string, string>) => void;

/** The fake's authorization server: codes and tokens handed out, and the /oauth/* endpoints. */
export class FakeStravaOAuth {
  /** Every token pair issued, oldest first. */
  readonly tokens: TokenInfo[] = [];
  readonly #codes = new Map<string, string>();
  readonly #host: OAuthHost;
  readonly #tokenLifetimeS: number;

  constructor(host: OAuthHost, tokenLifetimeS: number) {
    this.#host = host;
    this.#tokenLifetimeS = tokenLifetimeS;
  }

  #issue(withAthlete: boolean, refresh?: string): Json {
    const t: TokenInfo = {
      access: hex(20),
      refresh: refresh ?? hex(20),
      expiresAt: Math.floor(Date.now() / 1000) + this.#tokenLifetimeS,
      revoked: false,
      refreshUsed: false,
    };
    this.tokens.push(t);
    this.#host.issued.add(t.access).add(t.refresh);
    const body: Json = {
      token_type: 'Bearer',
      expires_at: t.expiresAt,
      expires_in: this.#tokenLifetimeS,
      refresh_token: t.refresh,
      access_token: t.access,
    };
    if (withAthlete) body.athlete = summaryAthlete(this.#host.athleteId);
    return body;
  }

  /** Answers a request under /oauth/; `entry.status` gets the status of a redirect. */
  handle(
    req: http.IncomingMessage,
    url: URL,
    p: Record<string, string>,
    send: Send,
    res: http.ServerResponse,
    entry: { status: number },
  ): void {
    const host = this.#host;
    if (req.method === 'GET' && url.pathname === '/oauth/authorize') {
      if (p.client_id !== host.clientId || !p.redirect_uri || p.response_type !== 'code') {
        return send(400, OAUTH_400.invalid_client);
      }
      const back = new URL(p.redirect_uri);
      back.searchParams.set('state', p.state ?? '');
      if (host.denyNextAuthorize) {
        host.denyNextAuthorize = false;
        back.searchParams.set('error', 'access_denied');
      } else {
        const code = hex(20);
        this.#codes.set(code, host.grantedScope);
        host.issued.add(code);
        back.searchParams.set('code', code);
        back.searchParams.set('scope', host.grantedScope);
      }
      entry.status = 302;
      res.writeHead(302, { Location: back.toString() }).end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/oauth/token') {
      if (p.client_id !== host.clientId || p.client_secret !== host.clientSecret) {
        return send(400, OAUTH_400.invalid_client);
      }
      if (p.grant_type === 'authorization_code') {
        if (!p.code || !this.#codes.delete(p.code)) return send(400, OAUTH_400.invalid_code);
        return send(200, this.#issue(true));
      }
      if (p.grant_type === 'refresh_token') {
        const old = this.tokens.find((t) => t.refresh === p.refresh_token && !t.refreshUsed);
        if (!old) return send(400, OAUTH_400.invalid_refresh_token);
        old.revoked = true;
        old.refreshUsed = true;
        return send(200, this.#issue(false));
      }
      return send(400, OAUTH_400.invalid_code);
    }
    if (req.method === 'POST' && url.pathname === '/oauth/revoke') {
      // Client credentials by HTTP Basic (not the form), the access or refresh token in `token`.
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const [id, secret] = Buffer.from(basic, 'base64').toString().split(':');
      if (id !== host.clientId || secret !== host.clientSecret) return send(401, ERROR_401);
      const token = p.token ?? '';
      const t = this.tokens.find((x) => x.access === token || x.refresh === token);
      // RFC 7009: an unknown or already revoked token is answered 200 too.
      if (t) {
        for (const x of this.tokens) {
          x.revoked = true;
          x.refreshUsed = true;
        }
      }
      return send(200, {});
    }
    if (req.method === 'POST' && url.pathname === '/oauth/deauthorize') {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? p.access_token;
      const t = this.tokens.find((x) => x.access === token && !x.revoked);
      if (!t) return send(401, ERROR_401);
      for (const x of this.tokens) {
        x.revoked = true;
        x.refreshUsed = true;
      }
      return send(200, { access_token: token });
    }
    send(404, ERROR_404);
  }
}

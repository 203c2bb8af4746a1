import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { accessMode, tokenRequired } from '../../src/web/security.ts';
import { SECRETS, harness, testConfig } from './support.ts';

const TOKEN = SECRETS.KNEECHECK_TOKEN;
const PROXIED = { KNEECHECK_PUBLIC_URL: 'https://knees.example.org', KNEECHECK_TOKEN: TOKEN };

/** Strava reaches these (it cannot send our token); everything else needs it. */
const STRAVA_PATH = /^\/(strava\/callback|webhooks\/strava\/)/;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const listening = (server: http.Server | ReturnType<typeof serve>): Promise<number> =>
  new Promise((resolve) => {
    const done = () => resolve((server.address() as AddressInfo).port);
    if (server.listening) done();
    else server.once('listening', done);
  });

/**
 * A reverse proxy as Caddy or nginx runs it: on 127.0.0.1, forwarding every request to the
 * daemon on 127.0.0.1 with the given Host and X-Forwarded-* headers, so the daemon sees each
 * request come from loopback.
 */
async function proxyTo(target: number, host: string): Promise<string> {
  const proxy = http.createServer((req, res) => {
    const up = http.request(
      {
        host: '127.0.0.1',
        port: target,
        method: req.method,
        path: req.url,
        headers: {
          ...req.headers,
          host,
          'x-forwarded-for': '203.0.113.7',
          'x-forwarded-proto': 'https',
        },
      },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  proxy.listen(0, '127.0.0.1');
  const port = await listening(proxy);
  closers.push(() => new Promise<void>((r) => proxy.close(() => r())));
  return `http://127.0.0.1:${port}`;
}

/** The daemon's app served on 127.0.0.1 (port 0), with a reverse proxy in front of it. */
async function behindProxy(settings: Record<string, string>, host = 'knees.example.org') {
  const h = await harness({
    demo: true,
    settings,
    deps: { health: () => ({ watcher: { inbox: '/home/runner/kneecheck/inbox' } }) },
  });
  const server = serve({ fetch: h.app.fetch, hostname: '127.0.0.1', port: 0 });
  const port = await listening(server);
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return { ...h, proxy: await proxyTo(port, host) };
}

/** Every route the app registers, with `:params` filled in, minus Strava's own paths. */
function routesOf(app: { routes: { method: string; path: string }[] }) {
  const seen = new Set<string>();
  const out: { method: string; path: string }[] = [];
  for (const r of app.routes) {
    if (r.path.includes('*')) continue;
    const path = r.path.replace(/:[A-Za-z]+(\{[^}]*\})?/g, 'x');
    const method = r.method === 'ALL' ? 'GET' : r.method;
    const key = `${method} ${path}`;
    if (STRAVA_PATH.test(path) || seen.has(key)) continue;
    seen.add(key);
    out.push({ method, path });
  }
  return out;
}

describe('behind a reverse proxy (loopback, KNEECHECK_PUBLIC_URL and KNEECHECK_TOKEN set)', () => {
  it('answers 401 on every route the app registers without the token or with a wrong one, /healthz included', async () => {
    const { app, proxy } = await behindProxy(PROXIED);
    const routes = routesOf(app);
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.map((r) => r.path)).toContain('/healthz');
    for (const { method, path } of routes) {
      for (const headers of [{}, { Authorization: 'Bearer wrong-token-0123456789' }]) {
        const res = await fetch(`${proxy}${path}`, { method, headers, redirect: 'manual' });
        expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(401);
        const body = await res.text();
        expect(body).not.toContain('/home/runner');
      }
    }
  });

  it('serves the dashboard, the runs and /healthz with the bearer token, and keeps checks out of reach without it', async () => {
    const { proxy, store } = await behindProxy(PROXIED);
    const auth = { Authorization: `Bearer ${TOKEN}` };
    expect((await fetch(`${proxy}/`, { headers: auth })).status).toBe(200);
    const runs = await fetch(`${proxy}/api/runs`, { headers: auth });
    expect(runs.status).toBe(200);
    expect(((await runs.json()) as unknown[]).length).toBeGreaterThan(0);
    const health = await fetch(`${proxy}/healthz`, { headers: auth });
    expect(await health.json()).toMatchObject({ ok: true, watcher: { inbox: expect.any(String) } });

    const checks = store.checks.list(Number.MAX_SAFE_INTEGER);
    const first = checks[0];
    if (!first) throw new Error('the demo history has checks');
    const json = { 'Content-Type': 'application/json' };
    const body = JSON.stringify({ pain: 9, where: ['front'] });
    expect(
      (await fetch(`${proxy}/api/checks`, { method: 'POST', headers: json, body })).status,
    ).toBe(401);
    const patch = { method: 'PATCH', headers: json, body: JSON.stringify({ pain: 0 }) };
    expect((await fetch(`${proxy}/api/checks/${first.id}`, patch)).status).toBe(401);
    expect((await fetch(`${proxy}/api/checks/${first.id}`, { method: 'DELETE' })).status).toBe(401);
    expect(store.checks.list(Number.MAX_SAFE_INTEGER)).toEqual(checks);
  });

  it("leaves Strava's callback paths reachable without the token (Strava cannot send it)", async () => {
    const { proxy } = await behindProxy(PROXIED);
    // Not configured here, so 404, but not 401: the token is not asked for.
    expect((await fetch(`${proxy}/strava/callback?code=x`)).status).toBe(404);
    expect((await fetch(`${proxy}/webhooks/strava/s3cret?hub.challenge=x`)).status).toBe(404);
  });
});

describe('on loopback with only KNEECHECK_TOKEN set', () => {
  it('asks for the token too: a tunnel forwarding to 127.0.0.1 looks like loopback', async () => {
    // An ssh or socat tunnel keeps the loopback Host the client asked for.
    const { proxy } = await behindProxy({ KNEECHECK_TOKEN: TOKEN }, '127.0.0.1:7117');
    expect((await fetch(`${proxy}/api/advice`)).status).toBe(401);
    expect((await fetch(`${proxy}/healthz`)).status).toBe(401);
    const ok = await fetch(`${proxy}/api/advice`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(ok.status).toBe(200);
  });
});

describe('the mode the daemon runs in', () => {
  it('refuses a public URL without a token, naming the variable', () => {
    expect(() => testConfig({ KNEECHECK_PUBLIC_URL: 'https://knees.example.org' })).toThrow(
      ConfigError,
    );
    expect(() => testConfig({ KNEECHECK_PUBLIC_URL: 'https://knees.example.org' })).toThrow(
      /KNEECHECK_TOKEN: .*KNEECHECK_PUBLIC_URL is set/,
    );
  });

  it('says in one line which mode it is in, without the token', () => {
    const local = testConfig();
    expect(tokenRequired(local)).toBe(false);
    expect(accessMode(local)).toMatch(/^web: loopback only, no token needed/);
    const proxied = testConfig(PROXIED);
    expect(tokenRequired(proxied)).toBe(true);
    expect(accessMode(proxied)).toMatch(
      /every request needs the token \(KNEECHECK_PUBLIC_URL is set/,
    );
    const remote = testConfig({ KNEECHECK_HOST: '0.0.0.0', KNEECHECK_TOKEN: TOKEN });
    expect(accessMode(remote)).toMatch(/KNEECHECK_HOST=0\.0\.0\.0 is reachable beyond/);
    for (const c of [local, proxied, remote]) expect(accessMode(c)).not.toContain(TOKEN);
  });
});

import { describe, expect, it } from 'vitest';
import { SECRETS, formOf, harness, pathsToScan } from './support.ts';

const TOKEN = SECRETS.KNEECHECK_TOKEN;
const REMOTE = { KNEECHECK_HOST: '0.0.0.0', KNEECHECK_TOKEN: TOKEN };

const form = (fields: [string, string][], headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
});

describe('the check form is protected against cross-site requests', () => {
  it('refuses a form post without a CSRF token, with a wrong one, or sent cross-site', async () => {
    const { app, store } = await harness({ demo: true });
    const [run] = store.runs.list({ limit: 1 });
    const page = await (await app.request(`/runs/${encodeURIComponent(run?.id ?? '')}`)).text();
    const { csrf, action } = formOf(page);
    const answers: [string, string][] = [
      ['pain', '6'],
      ['where', 'front'],
      ['swelling', 'on'],
    ];
    const before = store.checks.list(Number.MAX_SAFE_INTEGER).length;
    for (const [label, req] of [
      ['no token', form(answers)],
      ['wrong token', form([...answers, ['csrf', `${csrf.split('.')[0]}.${'0'.repeat(64)}`]])],
      ['forged time', form([...answers, ['csrf', `1${csrf}`]])],
      ['cross-site', form([...answers, ['csrf', csrf]], { 'Sec-Fetch-Site': 'cross-site' })],
    ] as const) {
      const res = await app.request(action, req);
      expect(res.status, label).toBe(403);
      expect(await res.text(), label).toMatch(/form has expired or did not come from this page/);
    }
    expect(store.checks.list(Number.MAX_SAFE_INTEGER)).toHaveLength(before);

    const ok = await app.request(action, form([...answers, ['csrf', csrf]]));
    expect(ok.status).toBe(303);
    expect(store.checks.list(Number.MAX_SAFE_INTEGER)).toHaveLength(before + 1);
  });
});

describe('beyond loopback the token is required', () => {
  it('answers 401 without it, 200 with the bearer token, and leaves only Strava open', async () => {
    const { app } = await harness({ demo: true, settings: REMOTE });
    for (const path of ['/', '/api/advice', '/api/runs', '/runs/x', '/assets/app.css']) {
      expect((await app.request(path)).status, path).toBe(401);
      const wrong = await app.request(path, { headers: { Authorization: 'Bearer wrong-token' } });
      expect(wrong.status, path).toBe(401);
    }
    const auth = { headers: { Authorization: `Bearer ${TOKEN}` } };
    expect((await app.request('/', auth)).status).toBe(200);
    expect((await app.request('/api/advice', auth)).status).toBe(200);
    expect((await app.request('/healthz')).status).toBe(401);
    // Not configured (404), but reachable without the token: Strava cannot send it.
    expect((await app.request('/webhooks/strava/s3cret?hub.challenge=x')).status).toBe(404);
    expect((await app.request('/strava/callback?code=x')).status).toBe(404);
  });

  it('answers /healthz only with the token: without it, nothing about the inbox or the sync', async () => {
    const health = () => ({ watcher: { inbox: '/home/runner/inbox' }, lastSync: null });
    const { app } = await harness({ demo: true, settings: REMOTE, deps: { health } });
    for (const headers of [{}, { Authorization: 'Bearer wrong-token' }]) {
      const bare = await app.request('/healthz', { headers });
      expect(bare.status).toBe(401);
      expect(await bare.text()).not.toContain('/home/runner');
    }
    const full = await app.request('/healthz', { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(await full.json()).toMatchObject({
      ok: true,
      database: 'ok',
      watcher: { inbox: '/home/runner/inbox' },
    });
  });

  it('accepts one-tap JSON answers (ntfy actions) with the bearer token', async () => {
    const { app } = await harness({ demo: true, settings: REMOTE });
    const body = JSON.stringify({ pain: 1, where: ['front'] });
    const headers = { 'Content-Type': 'application/json' };
    expect((await app.request('/api/checks', { method: 'POST', headers, body })).status).toBe(401);
    const res = await app.request('/api/checks', {
      method: 'POST',
      headers: { ...headers, Authorization: `Bearer ${TOKEN}` },
      body,
    });
    expect(res.status).toBe(201);
  });

  it('sets an HttpOnly, SameSite=Strict cookie from ?token= once and strips it from the address', async () => {
    const { app } = await harness({ demo: true, settings: REMOTE });
    expect((await app.request('/?token=wrong')).status).toBe(401);
    const res = await app.request('/runs/x?token=' + encodeURIComponent(TOKEN) + '&saved=1');
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/runs/x?saved=1');
    const cookie = res.headers.get('Set-Cookie') ?? '';
    expect(cookie).toMatch(/^kneecheck_token=[0-9a-f]{64};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(TOKEN);
    const pair = cookie.split(';')[0] ?? '';
    const page = await app.request('/', { headers: { Cookie: pair } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Weekly distance');
    expect((await app.request('/', { headers: { Cookie: 'kneecheck_token=abc' } })).status).toBe(
      401,
    );
  });

  it('refuses to build the app beyond loopback without a token', async () => {
    const { deps } = await harness();
    const { createApp } = await import('../../src/web/app.ts');
    expect(() => createApp({ ...deps, config: { ...deps.config, host: '0.0.0.0' } })).toThrow(
      /KNEECHECK_TOKEN is required/,
    );
  });
});

describe('on loopback', () => {
  it('serves only requests addressed to this machine (no DNS rebinding)', async () => {
    const { app } = await harness();
    const evil = await app.request('http://evil.example/api/advice');
    expect(evil.status).toBe(421);
    expect((await app.request('http://127.0.0.1:7117/api/advice')).status).toBe(200);
    expect((await app.request('http://localhost:7117/')).status).toBe(200);
    // /healthz too: it names the inbox and the sync state.
    expect((await app.request('http://evil.example/healthz')).status).toBe(421);
    expect((await app.request('http://127.0.0.1:7117/healthz')).status).toBe(200);
  });
});

describe('no secret is ever rendered', () => {
  it('keeps every secret setting out of every page, JSON document and header', async () => {
    const { app, store } = await harness({
      demo: true,
      settings: {
        ...SECRETS,
        KNEECHECK_HOST: '0.0.0.0',
        STRAVA_CLIENT_ID: '12345',
        NOTIFY_NTFY_URL: 'https://ntfy.example/knees',
        NOTIFY_WEBHOOK_URL: 'https://hooks.example/k',
        NOTIFY_EMAIL_TO: 'runner@example.com',
      },
    });
    const [run] = store.runs.list({ limit: 1 });
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const responses: Response[] = [];
    for (const path of pathsToScan(run?.id ?? '')) {
      responses.push(await app.request(path));
      responses.push(await app.request(path, { headers: auth }));
    }
    const page = await (
      await app.request(`/runs/${encodeURIComponent(run?.id ?? '')}`, { headers: auth })
    ).text();
    const { action } = formOf(page);
    responses.push(await app.request(action, { ...form([['pain', '2']]), headers: { ...auth } }));
    responses.push(
      await app.request(action, {
        ...form([['pain', '11']]),
        headers: { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
    );
    responses.push(
      await app.request('/api/checks', {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ pain: 3, where: ['back'], note: 'scan' }),
      }),
    );
    responses.push(await app.request(`/?token=${encodeURIComponent(TOKEN)}`));
    expect(responses.length).toBeGreaterThan(25);
    for (const res of responses) {
      const text = `${[...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${await res.text()}`;
      for (const [name, secret] of Object.entries(SECRETS)) {
        expect(text.includes(secret), `${name} in ${res.url} (${res.status})`).toBe(false);
        expect(text.includes(encodeURIComponent(secret)), name).toBe(false);
      }
      expect(text).not.toMatch(/-SECRET-/);
    }
  });
});

describe('security headers', () => {
  it('send a strict CSP, nosniff, a same-origin referrer and no framing on every route', async () => {
    const { app, store } = await harness({ demo: true });
    const [run] = store.runs.list({ limit: 1 });
    for (const path of pathsToScan(run?.id ?? '')) {
      const res = await app.request(path);
      const csp = res.headers.get('Content-Security-Policy') ?? '';
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).not.toContain('unsafe-inline');
      expect(res.headers.get('X-Content-Type-Options'), path).toBe('nosniff');
      expect(res.headers.get('Referrer-Policy'), path).toBe('same-origin');
      expect(res.headers.get('X-Frame-Options'), path).toBe('DENY');
    }
  });

  it('serve pages without inline scripts, inline styles or event handlers', async () => {
    const { app, store } = await harness({ demo: true });
    const [run] = store.runs.list({ limit: 1 });
    for (const path of ['/', `/runs/${encodeURIComponent(run?.id ?? '')}`]) {
      const text = await (await app.request(path)).text();
      for (const tag of text.match(/<script[^>]*>/g) ?? []) {
        expect(tag, path).toMatch(
          / src="\/assets\/[\w.]+(\?v=[0-9a-f]{16})?"| type="application\/json"/,
        );
      }
      expect(text, path).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    }
  });
});

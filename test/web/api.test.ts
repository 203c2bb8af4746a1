import { describe, expect, it } from 'vitest';
import { adviceCommand } from '../../src/commands/advice.ts';
import { checkCommand } from '../../src/commands/check.ts';
import { reportCommand } from '../../src/commands/report.ts';
import { runsCommand } from '../../src/commands/runs.ts';
import type { RecordedCheck } from '../../src/checks.ts';
import type { Advice, KneeCheck, Run } from '../../src/model.ts';
import { cliJson, harness, jsonRequest as json } from './support.ts';

describe('the JSON API', () => {
  it('answers /api/runs, /api/report and /api/advice with the same documents as the CLI', async () => {
    const { app, config } = await harness({ demo: true });
    const runs = (await (await app.request('/api/runs')).json()) as Run[];
    expect(runs).toHaveLength(33);
    expect(runs).toEqual(await cliJson(config, (ctx) => runsCommand({ json: true }, ctx)));

    const limited = await app.request('/api/runs?since=2026-11-01&limit=2');
    expect(await limited.json()).toEqual(
      await cliJson(config, (ctx) =>
        runsCommand({ json: true, since: '2026-11-01', limit: '2' }, ctx),
      ),
    );

    const report = await (await app.request('/api/report?weeks=5')).json();
    expect(report).toEqual(
      await cliJson(config, (ctx) => reportCommand({ json: true, weeks: '5' }, ctx)),
    );
    expect(await (await app.request('/api/report')).json()).toEqual(
      await cliJson(config, (ctx) => reportCommand({ json: true }, ctx)),
    );

    const advice = (await (await app.request('/api/advice')).json()) as Advice;
    expect(advice).toEqual(await cliJson(config, (ctx) => adviceCommand({ json: true }, ctx)));
    expect(advice.level).toBe('ease-off');
  });

  it('refuses bad query parameters with 400 and a message naming the parameter', async () => {
    const { app } = await harness();
    for (const [url, name] of [
      ['/api/runs?limit=0', 'limit'],
      ['/api/runs?limit=abc', 'limit'],
      ['/api/runs?since=yesterday', 'since'],
      ['/api/report?weeks=0', 'weeks'],
      ['/api/report?weeks=9999', 'weeks'],
    ] as const) {
      const res = await app.request(url);
      expect(res.status, url).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(new RegExp(`^${name}:`));
    }
  });

  it('records a check with POST /api/checks, answering like `check --json`, and the advice follows', async () => {
    const recorded: RecordedCheck[] = [];
    const { app, config, store } = await harness({
      demo: true,
      deps: { onCheck: (r) => void recorded.push(r) },
    });
    const [latest] = store.runs.list({ limit: 1 });
    const res = await app.request(
      '/api/checks',
      json({ runId: latest?.id, pain: 4, where: ['front'], swelling: true }),
    );
    expect(res.status).toBe(201);
    const body = (await res.json()) as { check: KneeCheck; advice: Advice };
    expect(Object.keys(body).sort()).toEqual(['advice', 'check']);
    expect(body.check).toMatchObject({
      runId: latest?.id,
      pain: 4,
      where: ['front'],
      swelling: true,
      locking: false,
      note: null,
    });
    expect(body.advice.level).toBe('see-doctor');
    expect(await (await app.request('/api/advice')).json()).toEqual(body.advice);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.before.level).toBe('ease-off');
    expect(recorded[0]?.advice.level).toBe('see-doctor');

    // The same answers through the CLI give a check of the same shape.
    const cli = (await cliJson(config, (ctx) =>
      checkCommand(latest?.id, { pain: '4', where: 'front', swelling: true, json: true }, ctx),
    )) as { check: KneeCheck; advice: Advice };
    // …except where it was entered: each caller says so truthfully.
    expect([cli.check.via, body.check.via]).toEqual(['cli', 'api']);
    expect({ ...cli.check, id: 0, via: 'api' }).toEqual({ ...body.check, id: 0 });
    expect(cli.advice).toEqual(await (await app.request('/api/advice')).json());
  });

  it('refuses invalid checks with 400 and names the field', async () => {
    const { app, store } = await harness({ demo: true });
    const cases: [unknown, string][] = [
      [{ where: ['front'] }, 'pain'],
      [{ pain: 11, where: ['front'] }, 'pain'],
      [{ pain: 2.5, where: ['front'] }, 'pain'],
      [{ pain: 3 }, 'where'],
      [{ pain: 3, where: ['kneecap'] }, 'where'],
      [{ pain: 3, where: 'front', swelling: 'yes' }, 'swelling'],
      [{ pain: 0, note: 42 }, 'note'],
      [{ pain: 0, colour: 'red' }, 'colour'],
      [[1, 2], 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await app.request('/api/checks', json(body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      const answer = (await res.json()) as { error: string; field: string };
      expect(answer.field).toBe(field);
      expect(answer.error.startsWith(`${field}:`)).toBe(true);
    }
    const unknownRun = await app.request('/api/checks', json({ runId: 'fit:nope', pain: 0 }));
    expect(unknownRun.status).toBe(404);
    expect(((await unknownRun.json()) as { field: string }).field).toBe('runId');
    const broken = await app.request('/api/checks', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"pain": ',
    });
    expect(broken.status).toBe(400);
    expect(store.checks.list(Number.MAX_SAFE_INTEGER)).toHaveLength(4);
  });

  it('accepts JSON checks only as application/json (what a cross-site form cannot send)', async () => {
    const { app } = await harness({ demo: true });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) {
      const res = await app.request('/api/checks', {
        method: 'POST',
        headers: { 'Content-Type': type },
        body: JSON.stringify({ pain: 0 }),
      });
      expect(res.status, type).toBe(415);
    }
    const ok = await app.request('/api/checks', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ pain: 0 }),
    });
    expect(ok.status).toBe(201);
  });

  it('records a check about the knee now when it comes before any run', async () => {
    const { app } = await harness();
    const res = await app.request('/api/checks', json({ pain: 1, where: ['back'] }));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { check: KneeCheck; advice: Advice };
    expect(body.check.runId).toBeNull();
    expect(body.advice.level).toBe('caution');
  });

  it('answers a check even when the notifications hang, and survives them failing', async () => {
    const hang = await harness({ demo: true, deps: { onCheck: () => new Promise(() => {}) } });
    const res = await hang.app.request('/api/checks', json({ pain: 0 }));
    expect(res.status).toBe(201);
    // No wall-clock bound: had the answer waited for onCheck, it would never have come.
    const fail = await harness({
      demo: true,
      deps: {
        onCheck: () => {
          throw new Error('channel down');
        },
      },
    });
    expect((await fail.app.request('/api/checks', json({ pain: 0 }))).status).toBe(201);
  });
});

describe('/healthz', () => {
  it('reports the database and the daemon parts', async () => {
    const { app } = await harness({
      deps: { health: () => ({ watcher: 'ok', lastSync: null, outbox: { pending: 0 } }) },
    });
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ok: true,
      database: 'ok',
      watcher: 'ok',
      lastSync: null,
      outbox: { pending: 0 },
    });
  });

  it('answers 503 when the database fails', async () => {
    const { app, store } = await harness();
    store.close();
    const res = await app.request('/healthz');
    expect(res.status).toBe(503);
    const body = (await res.json()) as { ok: boolean; database: string };
    expect(body.ok).toBe(false);
    expect(body.database).toMatch(/^error: /);
  });
});

const HOOK_SECRET = 'a-secret-path-segment-0123456789';
const HOOK = `/webhooks/strava/${HOOK_SECRET}`;

describe('Strava routes', () => {
  it('say clearly when Strava is not configured', async () => {
    const { app } = await harness();
    for (const [method, url] of [
      ['GET', '/webhooks/strava/some-secret?hub.challenge=x'],
      ['POST', '/webhooks/strava/some-secret'],
      ['GET', '/strava/callback?code=x'],
    ] as const) {
      const res = await app.request(url, {
        method,
        ...(method === 'POST'
          ? { body: '{}', headers: { 'Content-Type': 'application/json' } }
          : {}),
      });
      expect(res.status, url).toBe(404);
      expect(await res.text()).toMatch(/Strava is not configured/);
    }
  });

  it('delegate to the Strava part: challenge, events after a quick 200, and the callback', async () => {
    const events: unknown[] = [];
    let answered = false;
    const { app } = await harness({
      deps: {
        strava: {
          isWebhookSecret: (segment) => segment === HOOK_SECRET,
          challenge: (q) =>
            q['hub.verify_token'] === 'v' ? { 'hub.challenge': q['hub.challenge'] } : null,
          event: (body) => {
            expect(answered).toBe(true);
            events.push(body);
          },
          callback: (q) =>
            Promise.resolve(
              q.code === 'good'
                ? { ok: true, message: 'Connected as <Runner>.' }
                : { ok: false, message: 'Strava said no.' },
            ),
        },
      },
    });
    const challenge = await app.request(
      `${HOOK}?hub.mode=subscribe&hub.challenge=c123&hub.verify_token=v`,
    );
    expect(await challenge.json()).toEqual({ 'hub.challenge': 'c123' });
    expect((await app.request(`${HOOK}?hub.challenge=c&hub.verify_token=w`)).status).toBe(403);

    const event = { object_type: 'activity', aspect_type: 'create', object_id: 1, owner_id: 2 };
    const res = await app.request(HOOK, json(event));
    answered = true;
    expect(res.status).toBe(200);
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual([event]);

    const good = await app.request('/strava/callback?code=good&scope=read');
    expect(good.status).toBe(200);
    expect(await good.text()).toContain('Connected as &lt;Runner&gt;.');
    expect((await app.request('/strava/callback?error=access_denied')).status).toBe(400);
  });
});

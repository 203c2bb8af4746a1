import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importPaths } from '../../src/import/pipeline.ts';
import type { RunId } from '../../src/model.ts';
import { beginConnect } from '../../src/strava/oauth.ts';
import { openSession } from '../../src/strava/session.ts';
import { scheduledSync, syncStrava } from '../../src/strava/sync.ts';
import { readTokens } from '../../src/strava/tokens.ts';
import {
  createWebhookQueue,
  handleWebhookEvent,
  parseWebhookEvent,
  stravaWebHandlers,
  verifyChallenge,
} from '../../src/strava/webhook.ts';
import { FakeStrava, type Json } from '../support/fake-strava.ts';
import { tempDir } from '../support/paths.ts';
import { simpleRun } from '../support/synth-fit.ts';
import { captureLogger, connect, makeDeps, type TestDeps } from './helpers.ts';

let fake: FakeStrava | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function connected(activities = 10): Promise<{ fake: FakeStrava; deps: TestDeps }> {
  fake = await FakeStrava.start({ activities });
  const deps = makeDeps(fake);
  expect((await connect(deps)).ok).toBe(true);
  return { fake, deps };
}

/** The event in a webhook body, parsed as the daemon parses it. */
const eventOf = (body: unknown) => {
  const e = parseWebhookEvent(body);
  if (!e.ok) throw new Error(e.error);
  return e.value;
};

const event = (f: FakeStrava, ...args: Parameters<FakeStrava['event']>) =>
  eventOf(f.event(...args));

describe('Strava webhook events', () => {
  it('create imports the new run (detail and streams) and prompts for a knee check', async () => {
    const { fake, deps } = await connected();
    const id = fake.addActivity({ sportType: 'Run', distanceM: 5012.4 });
    const outcome = await handleWebhookEvent(deps, event(fake, 'create', id));
    expect(outcome).toEqual({ action: 'imported', runId: `strava:${id}` });
    const run = deps.store.runs.get(`strava:${id}` as RunId);
    expect(run).toMatchObject({ distanceM: 5012.4, device: 'Garmin Forerunner 55' });
    expect(deps.store.runs.getForm(run?.id as RunId)).not.toBeNull();
    expect(deps.notified).toEqual([[run]]);
    expect(fake.log.filter((r) => r.kind === 'api').map((r) => r.path)).toEqual([
      `/api/v3/activities/${id}`,
      `/api/v3/activities/${id}/streams`,
    ]);
  });

  it('create enqueues the knee-check prompt through the real notifier', async () => {
    const { fake, deps } = await connected();
    const real = { ...deps, notify: undefined };
    const id = fake.addActivity({ start: new Date(Date.now() - 30 * 60_000) });
    const outcome = await handleWebhookEvent(real, event(fake, 'create', id));
    expect(outcome.action).toBe('imported');
    expect(deps.store.outbox.hasForRun(`strava:${id}` as RunId, 'knee-check')).toBe(true);
  });

  it('create of a ride is skipped with a reason; no prompt', async () => {
    const { fake, deps } = await connected();
    const id = fake.addActivity({ sportType: 'Ride' });
    expect(await handleWebhookEvent(deps, event(fake, 'create', id))).toEqual({
      action: 'skipped',
      reason: 'not a run (Ride)',
    });
    expect(deps.notified).toEqual([]);
  });

  it('delete removes the run', async () => {
    const { fake, deps } = await connected();
    const id = fake.addActivity();
    await handleWebhookEvent(deps, event(fake, 'create', id));
    fake.activities.delete(id);
    expect(await handleWebhookEvent(deps, event(fake, 'delete', id))).toEqual({
      action: 'deleted',
      runDeleted: true,
    });
    expect(deps.store.runs.get(`strava:${id}` as RunId)).toBeNull();
  });

  it('update: a title costs no request; a type change to Walk removes the run', async () => {
    const { fake, deps } = await connected();
    const id = fake.addActivity();
    await handleWebhookEvent(deps, event(fake, 'create', id));
    const calls = fake.apiCalls;
    expect(
      await handleWebhookEvent(deps, event(fake, 'update', id, { title: 'Easy 5k before work' })),
    ).toEqual({ action: 'updated', runId: `strava:${id}` });
    expect(fake.apiCalls).toBe(calls);
    expect(deps.store.strava.get(String(id))?.name).toBe('Easy 5k before work');

    const a = fake.activities.get(id) as Json;
    a.type = 'Walk';
    a.sport_type = 'Walk';
    expect(await handleWebhookEvent(deps, event(fake, 'update', id, { type: 'Walk' }))).toEqual({
      action: 'deleted',
      runDeleted: true,
    });
    expect(deps.store.runs.get(`strava:${id}` as RunId)).toBeNull();
  });

  it('deauthorization deletes the tokens and Strava-only runs; a run also from FIT stays', async () => {
    const { fake, deps } = await connected(5);
    const recent = [...fake.activities.values()]
      .filter((a) => a.sport_type === 'Run')
      .at(-1) as Json;
    const start = new Date(recent.start_date as string);
    const file = path.join(tempDir(), 'same.fit');
    fs.writeFileSync(
      file,
      simpleRun(start, {
        km: (recent.distance as number) / 1000,
        speedMps: recent.average_speed as number,
      }),
    );
    await importPaths([file], {
      store: deps.store,
      ctx: { timezone: 'Europe/Berlin' },
      now: () => new Date().toISOString(),
    });
    await syncStrava(deps);
    expect(deps.store.runs.count()).toBeGreaterThan(1);
    // The runner revokes access on strava.com: Strava now refuses every token.
    const revoked = await fetch(`${fake.oauthUrl}/deauthorize`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${readTokens(deps.dataDir)?.accessToken ?? ''}` },
    });
    expect(revoked.status).toBe(200);
    const outcome = await handleWebhookEvent(
      deps,
      eventOf({
        aspect_type: 'update',
        event_time: 1761050000,
        object_id: fake.athleteId,
        object_type: 'athlete',
        owner_id: fake.athleteId,
        subscription_id: 120475,
        updates: { authorized: 'false' },
      }),
    );
    expect(outcome.action).toBe('deauthorized');
    expect(readTokens(deps.dataDir)).toBeNull();
    const left = deps.store.runs.list();
    expect(left).toHaveLength(1);
    expect(left[0]?.sources.map((s) => s.source)).toEqual(['fit']);
  });

  it('a delete Strava does not confirm (the activity is still there) is logged and ignored', async () => {
    const { fake, deps } = await connected();
    const id = fake.addActivity();
    await handleWebhookEvent(deps, event(fake, 'create', id));
    expect(await handleWebhookEvent(deps, event(fake, 'delete', id))).toEqual({
      action: 'ignored',
      reason: `delete not confirmed: Strava still has activity ${id}`,
    });
    expect(deps.store.runs.get(`strava:${id}` as RunId)).not.toBeNull();
  });

  it('a deauthorization Strava does not confirm deletes nothing: a working token, an expired one that refreshes, Strava down', async () => {
    const { fake, deps } = await connected(4);
    await syncStrava(deps);
    const runs = deps.store.runs.count();
    const deauth = eventOf({
      aspect_type: 'update',
      object_id: fake.athleteId,
      object_type: 'athlete',
      owner_id: fake.athleteId,
      updates: { authorized: 'false' },
    });
    expect(await handleWebhookEvent(deps, deauth)).toEqual({
      action: 'ignored',
      reason: 'deauthorization not confirmed: Strava still accepts the stored token',
    });
    fake.expireAccessTokens();
    expect(await handleWebhookEvent(deps, deauth)).toEqual({
      action: 'ignored',
      reason: 'deauthorization not confirmed: the token had expired; Strava renewed it',
    });
    fake.inject5xx(1000);
    const down = await handleWebhookEvent(deps, deauth);
    expect(down).toMatchObject({ action: 'ignored' });
    expect((down as { reason: string }).reason).toMatch(/could not ask Strava/);
    expect(deps.store.runs.count()).toBe(runs);
    expect(readTokens(deps.dataDir)).not.toBeNull();
  });

  it('ignores events for another athlete', async () => {
    const { fake, deps } = await connected();
    const e = { ...event(fake, 'create', 1), owner_id: 1 };
    expect((await handleWebhookEvent(deps, e)).action).toBe('ignored');
  });

  it('the queue handles events in order after the answer, and never throws', async () => {
    const { fake, deps } = await connected();
    const lines: string[] = [];
    const queue = createWebhookQueue({ ...deps, log: captureLogger(lines) });
    const first = fake.addActivity();
    const second = fake.addActivity();
    queue.push(event(fake, 'create', first));
    queue.push(event(fake, 'update', second, { type: 'Run' }));
    await queue.idle();
    fake.activities.delete(first);
    queue.push(event(fake, 'delete', first));
    await queue.idle();
    expect(deps.store.runs.get(`strava:${first}` as RunId)).toBeNull();
    expect(deps.store.runs.get(`strava:${second}` as RunId)).not.toBeNull();
    // Strava down: the event fails, is logged, and the queue goes on.
    fake.inject5xx(1000);
    queue.push(event(fake, 'create', fake.addActivity()));
    await queue.idle();
    expect(lines.join('')).toContain('Strava webhook event failed');
  });
});

describe('the webhook subscription', () => {
  it('answers the challenge only with the right verify token', () => {
    const q = {
      'hub.mode': 'subscribe',
      'hub.challenge': '15f7d1a91c1f40',
      'hub.verify_token': 'STRAVA',
    };
    expect(verifyChallenge(q, 'STRAVA')).toEqual({ 'hub.challenge': '15f7d1a91c1f40' });
    expect(verifyChallenge(new URLSearchParams(q), 'STRAVA')).toEqual({
      'hub.challenge': '15f7d1a91c1f40',
    });
    expect(verifyChallenge(q, 'other')).toBeNull();
    expect(verifyChallenge(q, null)).toBeNull();
    expect(verifyChallenge({ ...q, 'hub.mode': 'unsubscribe' }, 'STRAVA')).toBeNull();
  });

  it('subscribe, status and unsubscribe against <apiUrl>/push_subscriptions', async () => {
    fake = await FakeStrava.start();
    const deps = makeDeps(fake);
    // A stand-in for the daemon's GET /webhooks/strava.
    const daemon = http.createServer((req, res) => {
      const body = verifyChallenge(
        new URL(req.url ?? '/', 'http://x').searchParams,
        'verify-me-please',
      );
      res.writeHead(body ? 200 : 403, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body ?? {}));
    });
    await new Promise<void>((r) => daemon.listen(0, '127.0.0.1', r));
    try {
      const callback = `http://127.0.0.1:${(daemon.address() as { port: number }).port}/webhooks/strava`;
      const { api } = openSession(deps, false);
      const { id } = await api.subscribe(callback, 'verify-me-please');
      expect(await api.listSubscriptions()).toEqual([
        expect.objectContaining({ id, callback_url: callback }),
      ]);
      await expect(api.subscribe(callback, 'verify-me-please')).rejects.toThrow(/already exists/);
      await api.unsubscribe(id);
      expect(await api.listSubscriptions()).toEqual([]);
      await expect(api.subscribe(callback, 'wrong')).rejects.toThrow(/callback url/);
    } finally {
      await new Promise((r) => daemon.close(r));
    }
  });
});

describe('the handlers the daemon mounts', () => {
  it('answer the challenge, queue events, finish a connect, and sync on schedule', async () => {
    fake = await FakeStrava.start({ activities: 3 });
    const deps = makeDeps(fake);
    const web = stravaWebHandlers(deps);
    expect(
      web.challenge({
        'hub.mode': 'subscribe',
        'hub.challenge': 'c1',
        'hub.verify_token': 'verify-me-please',
      }),
    ).toEqual({ 'hub.challenge': 'c1' });
    expect(
      web.challenge({ 'hub.mode': 'subscribe', 'hub.challenge': 'c1', 'hub.verify_token': 'x' }),
    ).toBeNull();
    // Not connected yet: the scheduled sync does nothing, quietly.
    expect(await scheduledSync(deps)).toBeNull();
    const { url } = beginConnect(deps, 'http://127.0.0.1:7117/strava/callback');
    const back = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '');
    const done = await web.callback(Object.fromEntries(back.searchParams));
    expect(done).toMatchObject({ ok: true, message: expect.stringContaining('Sam Beginner') });
    expect((await scheduledSync(deps))?.complete).toBe(true);
    const id = fake.addActivity();
    web.event(fake.event('create', id));
    web.event({ nonsense: true });
    await web.idle();
    expect(deps.store.runs.get(`strava:${id}` as RunId)).not.toBeNull();
  });
});

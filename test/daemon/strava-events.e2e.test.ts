import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/index.ts';
import { syncStrava } from '../../src/strava/sync.ts';
import { readTokens } from '../../src/strava/tokens.ts';
import { webhookSecret } from '../../src/strava/webhook-secret.ts';
import { runCli } from '../support/cli.ts';
import { startDaemon, stopDaemons, until, type RunningDaemon } from '../support/daemon.ts';
import { FakeStrava, type Json } from '../support/fake-strava.ts';
import { connect, makeDeps } from '../strava/helpers.ts';

let fake: FakeStrava | null = null;
afterEach(async () => {
  stopDaemons();
  await fake?.close();
  fake = null;
});

/** A daemon connected to a fake Strava whose runs are imported; the webhook's secret path. */
async function connectedDaemon(): Promise<{
  fake: FakeStrava;
  daemon: RunningDaemon;
  dataDir: string;
  hook: string;
}> {
  fake = await FakeStrava.start({ activities: 6 });
  const deps = makeDeps(fake);
  expect((await connect(deps)).ok).toBe(true);
  await syncStrava(deps);
  const secret = webhookSecret(deps.store, () => new Date());
  deps.store.close();
  const daemon = await startDaemon({
    KNEECHECK_DATA_DIR: deps.dataDir,
    ...fake.env(),
    STRAVA_WEBHOOK_VERIFY_TOKEN: 'verify-me-please',
  });
  return { fake, daemon, dataDir: deps.dataDir, hook: `${daemon.url}webhooks/strava/${secret}` };
}

const deauthorize = (f: FakeStrava): Json => ({
  aspect_type: 'update',
  event_time: Math.floor(Date.now() / 1000),
  object_id: f.athleteId,
  object_type: 'athlete',
  owner_id: f.athleteId,
  subscription_id: 120475,
  updates: { authorized: 'false' },
});

const runIds = async (daemon: RunningDaemon): Promise<string[]> =>
  ((await (await fetch(`${daemon.url}api/runs`)).json()) as { id: string }[]).map((r) => r.id);

/** How many events the daemon has finished handling (its log lines). */
const handled = (daemon: RunningDaemon): number =>
  daemon.stderr().split('Strava webhook event handled').length - 1;

describe('Strava events reaching the daemon', () => {
  it('forged deauthorizations on every path and content type delete nothing', async () => {
    const { fake, daemon, dataDir, hook } = await connectedDaemon();
    const before = await runIds(daemon);
    expect(before.filter((id) => id.startsWith('strava:')).length).toBeGreaterThan(2);
    const body = JSON.stringify(deauthorize(fake));
    const json = { 'Content-Type': 'application/json' };
    const attempts: [string, string, RequestInit, number][] = [
      ['the old path', `${daemon.url}webhooks/strava`, { headers: json }, 404],
      [
        'a wrong secret',
        `${daemon.url}webhooks/strava/guessed-secret-0123456789ab`,
        { headers: json },
        404,
      ],
      ['an empty secret', `${daemon.url}webhooks/strava/`, { headers: json }, 404],
      ['text/plain', hook, { headers: { 'Content-Type': 'text/plain' } }, 415],
      ['a form', hook, { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }, 415],
      ['no type', hook, { headers: {} }, 415],
      ['a cross-site page', hook, { headers: { ...json, 'Sec-Fetch-Site': 'cross-site' } }, 403],
      ['a same-site page', hook, { headers: { ...json, 'Sec-Fetch-Site': 'same-site' } }, 403],
      ['another origin', hook, { headers: { ...json, Origin: 'https://evil.example' } }, 403],
      ['a null origin', hook, { headers: { ...json, Origin: 'null' } }, 403],
    ];
    for (const [label, url, init, status] of attempts) {
      const res = await fetch(url, { method: 'POST', body, ...init });
      expect(res.status, label).toBe(status);
    }
    // The old path's challenge is gone too: only the secret path answers it.
    const challenge = 'hub.mode=subscribe&hub.challenge=c-1&hub.verify_token=verify-me-please';
    expect((await fetch(`${daemon.url}webhooks/strava?${challenge}`)).status).toBe(404);
    expect(await (await fetch(`${hook}?${challenge}`)).json()).toEqual({ 'hub.challenge': 'c-1' });

    // The right secret and JSON, but Strava still accepts the token: logged and ignored.
    const right = await fetch(hook, { method: 'POST', body, headers: json });
    expect(right.status).toBe(200);
    await until(() => handled(daemon) === 1, 'the event to be handled');
    expect(daemon.stderr()).toMatch(/deauthorization not confirmed/);
    expect(await runIds(daemon)).toEqual(before);
    expect(readTokens(dataDir)).not.toBeNull();
    for (const secret of fake.secrets()) expect(daemon.stderr()).not.toContain(secret);
    expect(daemon.stderr()).not.toContain(hook.split('/').at(-1));
  });

  it('`strava webhook subscribe` registers the secret path with Strava and never prints the secret', async () => {
    const { fake, daemon, dataDir, hook } = await connectedDaemon();
    const env = {
      KNEECHECK_DATA_DIR: dataDir,
      ...fake.env(),
      STRAVA_WEBHOOK_VERIFY_TOKEN: 'verify-me-please',
    };
    const sub = await runCli(['strava', 'webhook', 'subscribe', '--callback-url', daemon.url], env);
    expect(sub.stderr).toBe('');
    expect(sub.code).toBe(0);
    expect(fake.subscriptions.map((s) => s.callback_url)).toEqual([hook]);
    const secret = hook.split('/').at(-1) ?? '';
    expect(secret.length).toBeGreaterThanOrEqual(22); // ≥ 128 bits, base64url
    expect(sub.stdout).toContain('/webhooks/strava/****');
    const status = await runCli(['strava', 'webhook', 'status', '--json'], env);
    expect(JSON.parse(status.stdout)).toEqual([
      expect.objectContaining({ callbackUrl: `${daemon.url}webhooks/strava/****` }),
    ]);
    for (const out of [sub.stdout, status.stdout, daemon.stderr()]) {
      expect(out).not.toContain(secret);
    }
  });

  it('a forged delete keeps the run; a real one (Strava answers 404) removes it', async () => {
    const { fake, daemon, hook } = await connectedDaemon();
    const [id] = (await runIds(daemon)).filter((r) => r.startsWith('strava:'));
    const activity = Number(id?.slice('strava:'.length));
    const post = (event: Json) =>
      fetch(hook, {
        method: 'POST',
        body: JSON.stringify(event),
        headers: { 'Content-Type': 'application/json' },
      });
    expect((await post(fake.event('delete', activity))).status).toBe(200);
    await until(() => handled(daemon) === 1, 'the forged delete to be handled');
    expect(daemon.stderr()).toMatch(/delete not confirmed/);
    expect(await runIds(daemon)).toContain(id);

    fake.activities.delete(activity);
    expect((await post(fake.event('delete', activity))).status).toBe(200);
    await until(() => handled(daemon) === 2, 'the real delete to be handled');
    expect(await runIds(daemon)).not.toContain(id);
  });

  it('a real deauthorization (Strava refuses the token) deletes the tokens and Strava-only runs', async () => {
    const { fake, daemon, dataDir, hook } = await connectedDaemon();
    expect((await runIds(daemon)).length).toBeGreaterThan(0);
    // The runner revokes access on strava.com: every token stops working.
    const token = readTokens(dataDir)?.accessToken ?? '';
    const revoked = await fetch(`${fake.oauthUrl}/deauthorize`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(revoked.status).toBe(200);
    const res = await fetch(hook, {
      method: 'POST',
      body: JSON.stringify(deauthorize(fake)),
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    expect(res.status).toBe(200);
    await until(() => handled(daemon) === 1, 'the deauthorization to be handled');
    expect(await runIds(daemon)).toEqual([]);
    expect(readTokens(dataDir)).toBeNull();
    expect(fs.existsSync(path.join(dataDir, 'strava-tokens.json'))).toBe(false);
    // Reads the database the daemon wrote: nothing from Strava is left.
    const store = Store.open(dataDir);
    try {
      expect(store.runs.count()).toBe(0);
    } finally {
      store.close();
    }
  });
});

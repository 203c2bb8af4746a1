import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { startDaemon, stopDaemons, until } from '../support/daemon.ts';
import { tempDir } from '../support/paths.ts';
import { startHttpReceiver, type HttpReceiver } from '../support/receivers.ts';
import { FakeStrava } from '../support/fake-strava.ts';
import { simpleRun } from '../support/synth-fit.ts';
import { webhookSecret } from '../../src/strava/webhook-secret.ts';
import { connect, makeDeps } from '../strava/helpers.ts';

const receivers: HttpReceiver[] = [];
afterEach(async () => {
  stopDaemons();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe('kneecheck start', () => {
  it('imports a FIT file dropped into the inbox, moves it to processed/ and sends the prompt; a broken file ends in failed/ with its reason and the daemon keeps going', async () => {
    const hook = await startHttpReceiver();
    receivers.push(hook);
    const data = tempDir();
    const daemon = await startDaemon({
      KNEECHECK_DATA_DIR: data,
      NOTIFY_WEBHOOK_URL: `${hook.url}/hook`,
    });
    const inbox = path.join(data, 'inbox');
    expect(fs.existsSync(inbox)).toBe(true);

    fs.writeFileSync(path.join(inbox, 'broken.fit'), Buffer.from('this is not a fit file'));
    fs.writeFileSync(
      path.join(inbox, 'evening-run.fit'),
      simpleRun(new Date(Date.now() - 2 * 3600_000), { km: 4 }),
    );

    const [req] = await hook.waitFor(1, 15_000);
    const payload = JSON.parse(req?.body ?? '{}') as { type: string; run: { distanceM: number } };
    expect(payload.type).toBe('knee-check');
    expect(payload.run.distanceM).toBeCloseTo(4000, -1);
    await until(
      () => fs.existsSync(path.join(inbox, 'processed', 'evening-run.fit')),
      'processed/',
    );
    const note = await until(
      () =>
        fs.existsSync(path.join(inbox, 'failed', 'broken.fit.error.txt')) &&
        fs.readFileSync(path.join(inbox, 'failed', 'broken.fit.error.txt'), 'utf8'),
      'failed/broken.fit.error.txt',
    );
    expect(note).toMatch(/broken\.fit/);
    expect(note).toMatch(/not a FIT file/);
    expect(fs.existsSync(path.join(inbox, 'failed', 'broken.fit'))).toBe(true);
    expect(fs.existsSync(path.join(inbox, 'broken.fit'))).toBe(false);

    const health = (await (await fetch(`${daemon.url}healthz`)).json()) as {
      ok: boolean;
      database: string;
      watcher: { imported: number; failed: number };
    };
    expect(health).toMatchObject({ ok: true, database: 'ok', watcher: { imported: 1, failed: 1 } });
    const runs = (await (await fetch(`${daemon.url}api/runs`)).json()) as unknown[];
    expect(runs).toHaveLength(1);

    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    expect(daemon.stderr()).toMatch(/stopped/);
    expect(fs.existsSync(path.join(data, 'kneecheck.lock'))).toBe(false);
  });

  it('refuses a second daemon on the same data folder', async () => {
    const data = tempDir();
    const first = await startDaemon({ KNEECHECK_DATA_DIR: data });
    const second = await runCli(['start'], { KNEECHECK_DATA_DIR: data, KNEECHECK_PORT: '0' });
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(/already running/);
    expect((await fetch(`${first.url}healthz`)).status).toBe(200);
  });

  it('says which port is taken instead of crashing, and leaves no lock behind', async () => {
    const data = tempDir();
    const first = await startDaemon({ KNEECHECK_DATA_DIR: tempDir() });
    const port = new URL(first.url).port;
    const res = await runCli(['start'], { KNEECHECK_DATA_DIR: data, KNEECHECK_PORT: port });
    expect(res.code).toBe(2); // a setting to change, like any config error
    expect(res.stderr).toContain(`port ${port} is already in use`);
    expect(res.stderr).toContain('KNEECHECK_PORT');
    expect(res.stderr).not.toMatch(/unexpected error/);
    expect(fs.existsSync(path.join(data, 'kneecheck.lock'))).toBe(false);
  });

  it('refuses to start on 0.0.0.0 without KNEECHECK_TOKEN', async () => {
    const res = await runCli(['start'], {
      KNEECHECK_DATA_DIR: tempDir(),
      KNEECHECK_HOST: '0.0.0.0',
      KNEECHECK_PORT: '0',
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/KNEECHECK_TOKEN/);
  });

  it('beyond loopback it requires the token', async () => {
    const token = 'a-long-enough-token-0123456789';
    const daemon = await startDaemon({
      KNEECHECK_DATA_DIR: tempDir(),
      KNEECHECK_HOST: '0.0.0.0',
      KNEECHECK_TOKEN: token,
    });
    const url = daemon.url.replace('0.0.0.0', '127.0.0.1');
    expect((await fetch(`${url}api/advice`)).status).toBe(401);
    const ok = await fetch(`${url}api/advice`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(daemon.stderr()).not.toContain(token);
  });

  it('takes Strava webhooks: the challenge, a new run imported and prompted, a deleted one removed', async () => {
    const fake = await FakeStrava.start({ activities: 3 });
    const hook = await startHttpReceiver();
    receivers.push(hook);
    const strava = makeDeps(fake);
    await connect(strava);
    const hookUrl = (base: string) =>
      `${base}webhooks/strava/${webhookSecret(strava.store, () => new Date())}`;
    const verify = 'verify-me-please';
    try {
      const daemon = await startDaemon({
        KNEECHECK_DATA_DIR: strava.dataDir,
        ...fake.env(),
        STRAVA_WEBHOOK_VERIFY_TOKEN: verify,
        NOTIFY_WEBHOOK_URL: `${hook.url}/hook`,
      });
      const callback = hookUrl(daemon.url);
      strava.store.close();
      const challenge = await fetch(
        `${callback}?hub.mode=subscribe&hub.challenge=c-42&hub.verify_token=${verify}`,
      );
      expect(await challenge.json()).toEqual({ 'hub.challenge': 'c-42' });
      const wrong = await fetch(
        `${callback}?hub.mode=subscribe&hub.challenge=c-42&hub.verify_token=nope`,
      );
      expect(wrong.status).toBe(403);

      const id = fake.addActivity({ start: new Date(Date.now() - 40 * 60_000) });
      const post = (body: unknown) =>
        fetch(callback, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect((await post(fake.event('create', id))).status).toBe(200);
      const [req] = await hook.waitFor(1, 10_000);
      expect(JSON.parse(req?.body ?? '{}')).toMatchObject({
        type: 'knee-check',
        runId: `strava:${id}`,
      });

      fake.activities.delete(id); // Strava answers 404 for it now: the delete is confirmed.
      expect((await post(fake.event('delete', id))).status).toBe(200);
      const runIds = async () =>
        ((await (await fetch(`${daemon.url}api/runs`)).json()) as { id: string }[]).map(
          (r) => r.id,
        );
      const end = Date.now() + 10_000;
      while ((await runIds()).includes(`strava:${id}`) && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await runIds()).not.toContain(`strava:${id}`);
      const output = daemon.stderr();
      for (const secret of fake.secrets()) expect(output).not.toContain(secret);
    } finally {
      await fake.close();
    }
  });

  it('connects Strava from the dashboard: the link, the Strava page, back to the callback of the daemon', async () => {
    const fake = await FakeStrava.start({ activities: 0 });
    try {
      const data = tempDir();
      const daemon = await startDaemon({ KNEECHECK_DATA_DIR: data, ...fake.env() });
      const home = await fetch(daemon.url);
      const dashboard = await home.text();
      expect(dashboard).toContain('action="/strava/connect"');
      // The button posts a form with its CSRF token, from this browser (its cookie).
      const cookie = home.headers
        .getSetCookie()
        .map((c) => c.split(';')[0] ?? '')
        .join('; ');
      const csrf =
        /action="\/strava\/connect">\s*<input type="hidden" name="csrf" value="([^"]+)"/.exec(
          dashboard,
        )?.[1];
      const connect = await fetch(`${daemon.url}strava/connect`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
        body: new URLSearchParams({ csrf: csrf ?? '' }).toString(),
        redirect: 'manual',
      });
      expect(connect.status).toBe(200);
      const href = /id="strava-authorize" href="([^"]+)"/.exec(await connect.text())?.[1] ?? '';
      const authorize = new URL(href.replaceAll('&amp;', '&'));
      expect(`${authorize.origin}${authorize.pathname}`).toBe(`${fake.oauthUrl}/authorize`);
      expect(authorize.searchParams.get('redirect_uri')).toBe(`${daemon.url}strava/callback`);

      // Strava's page approves and sends the browser back to the daemon.
      const approved = await fetch(authorize, { redirect: 'manual' });
      const back = await fetch(approved.headers.get('location') ?? '');
      expect(back.status).toBe(200);
      expect(await back.text()).toContain('Strava connected');
      expect(fs.statSync(path.join(data, 'strava-tokens.json')).mode & 0o777).toBe(0o600);
      expect(await (await fetch(daemon.url)).text()).not.toContain('action="/strava/connect"');
      const output = daemon.stderr();
      for (const secret of fake.secrets()) expect(output).not.toContain(secret);
    } finally {
      await fake.close();
    }
  });
});

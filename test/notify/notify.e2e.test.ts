import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../src/notify/channels/webhook.ts';
import { runCli } from '../support/cli.ts';
import { tempDir } from '../support/paths.ts';
import { closedPort, startHttpReceiver, type HttpReceiver } from '../support/receivers.ts';
import { simpleRun } from '../support/synth-fit.ts';

/** Wednesday evening in Berlin (UTC+1). */
const NOW = '2026-11-25T19:00:00Z';
const SECRET = 'whsec-distinctive-4711-secret';

const receivers: HttpReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(port?: number): Promise<HttpReceiver> {
  const r = await startHttpReceiver(undefined, port === undefined ? {} : { port });
  receivers.push(r);
  return r;
}

/** A data folder, a run file that ended an hour before NOW, and the environment for the CLI. */
function setup(hookUrl: string, start = '2026-11-25T17:00:00Z') {
  const dir = tempDir();
  const file = path.join(dir, 'run.fit');
  fs.writeFileSync(file, simpleRun(new Date(start), { km: 5, speedMps: 2.5 }));
  const env = {
    KNEECHECK_DATA_DIR: path.join(dir, 'data'),
    KNEECHECK_NOW: NOW,
    NOTIFY_WEBHOOK_URL: `${hookUrl}/hook`,
    NOTIFY_WEBHOOK_SECRET: SECRET,
  };
  return { file, env };
}

const payloadOf = (r: HttpReceiver, i = 0) =>
  JSON.parse(r.requests[i]?.body ?? 'null') as Record<string, unknown> & {
    run: { id: string; distanceM: number };
    advice: { level: string };
  };

describe('knee-check prompts', () => {
  it('importing a new run delivers one signed knee-check payload; importing it again delivers nothing more', async () => {
    const hook = await receiver();
    const { file, env } = setup(hook.url);
    const first = await runCli(['import', file, '--json'], env);
    expect(first.code).toBe(0);
    expect(hook.requests).toHaveLength(1);
    const req = hook.requests[0];
    const payload = payloadOf(hook);
    expect(Object.keys(payload).sort()).toEqual(
      ['advice', 'checkUrl', 'message', 'run', 'runId', 'title', 'type'].sort(),
    );
    expect(payload.type).toBe('knee-check');
    expect(payload.runId).toBe(payload.run.id);
    expect(payload.run.distanceM).toBeCloseTo(5000, -1);
    expect(payload.title).toMatch(/knees/);
    expect(payload.message).toMatch(/5\.00 km/);
    expect(payload.checkUrl).toBe(
      `http://127.0.0.1:7117/runs/${encodeURIComponent(payload.run.id)}#check`,
    );
    expect(typeof payload.advice.level).toBe('string');
    expect(req && verifyWebhookSignature(req.body, req.headers, SECRET)).toBe(true);

    const again = await runCli(['import', file, '--json'], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).duplicates).toHaveLength(1);
    expect(hook.requests).toHaveLength(1);
  });

  it('a run from history (ended more than 48 h ago) never prompts', async () => {
    const hook = await receiver();
    const { file, env } = setup(hook.url, '2026-11-22T08:00:00Z');
    const res = await runCli(['import', file, '--json'], env);
    expect(JSON.parse(res.stdout).imported).toHaveLength(1);
    const status = await runCli(['notify', 'status', '--json'], env);
    expect(JSON.parse(status.stdout).outbox).toMatchObject({ pending: 0, sent: 0, failed: 0 });
    expect(hook.requests).toHaveLength(0);
  });

  it('with the receiver down the import succeeds, the prompt waits, and it is delivered once when the receiver is back', async () => {
    const port = await closedPort();
    const { file, env } = setup(`http://127.0.0.1:${port}`);
    const res = await runCli(['import', file, '--json'], env);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).imported).toHaveLength(1);
    const waiting = JSON.parse((await runCli(['notify', 'status', '--json'], env)).stdout);
    expect(waiting.pending).toHaveLength(1);
    expect(waiting.pending[0]).toMatchObject({
      channel: 'webhook',
      kind: 'knee-check',
      attempts: 1,
    });
    expect(waiting.pending[0].lastError).toMatch(/ECONNREFUSED|connect|refused/i);

    // Still down and not yet due: nothing is attempted.
    const early = JSON.parse((await runCli(['notify', 'run-due', '--json'], env)).stdout);
    expect(early).toEqual({ sent: 0, retrying: 0, failed: 0 });

    const hook = await receiver(port);
    const later = { ...env, KNEECHECK_NOW: '2026-11-25T19:05:00Z' };
    const due = JSON.parse((await runCli(['notify', 'run-due', '--json'], later)).stdout);
    expect(due.sent).toBe(1);
    expect(hook.requests).toHaveLength(1);
    expect(payloadOf(hook).type).toBe('knee-check');

    await runCli(['notify', 'run-due', '--json'], {
      ...env,
      KNEECHECK_NOW: '2026-11-25T20:00:00Z',
    });
    await runCli(['import', file], later);
    expect(hook.requests).toHaveLength(1);
  });

  it('a receiver that keeps failing with 400 is given up at once and shown as failed', async () => {
    const hook = await receiver();
    hook.failWith(400);
    const { file, env } = setup(hook.url);
    expect((await runCli(['import', file], env)).code).toBe(0);
    const status = JSON.parse((await runCli(['notify', 'status', '--json'], env)).stdout);
    expect(status.failed).toHaveLength(1);
    expect(status.failed[0].lastError).toMatch(/400/);
    expect(hook.requests).toHaveLength(1);
  });
});

describe('next-morning follow-ups', () => {
  async function checkAtNight(pain: number) {
    const hook = await receiver();
    const { file, env } = setup(hook.url);
    await runCli(['import', file], env);
    const night = { ...env, KNEECHECK_NOW: '2026-11-25T22:30:00Z' };
    const args = ['check', '--pain', String(pain), ...(pain > 0 ? ['--where', 'front'] : [])];
    expect((await runCli(args, night)).code).toBe(0);
    // From here on: what the morning brings (the prompt, and "advice changed" after pain, are done).
    hook.reset();
    return { hook, env };
  }

  it('a check with pain 4 at night produces one follow-up the next morning, not before', async () => {
    const { hook, env } = await checkAtNight(4);
    const early = { ...env, KNEECHECK_NOW: '2026-11-26T06:00:00Z' }; // 07:00 in Berlin
    expect(JSON.parse((await runCli(['notify', 'run-due', '--json'], early)).stdout).sent).toBe(0);
    const morning = { ...env, KNEECHECK_NOW: '2026-11-26T07:01:00Z' }; // 08:01 in Berlin
    const res = JSON.parse((await runCli(['notify', 'run-due', '--json'], morning)).stdout);
    expect(hook.requests.map((_, i) => payloadOf(hook, i).type)).toEqual(['follow-up']);
    expect(res.sent).toBe(2); // the webhook and the console channel
    const followUps = hook.requests
      .map((_, i) => payloadOf(hook, i))
      .filter((p) => p.type === 'follow-up');
    expect(followUps).toHaveLength(1);
    expect(followUps[0]?.message).toMatch(/pain 4\/10 \(front\)/);
    await runCli(['notify', 'run-due'], { ...env, KNEECHECK_NOW: '2026-11-26T09:00:00Z' });
    expect(hook.requests.filter((r) => r.body.includes('"follow-up"'))).toHaveLength(1);
  });

  it('a check with pain 0 produces no follow-up and no reminder', async () => {
    const { hook, env } = await checkAtNight(0);
    const morning = { ...env, KNEECHECK_NOW: '2026-11-26T07:01:00Z' };
    expect(JSON.parse((await runCli(['notify', 'run-due', '--json'], morning)).stdout).sent).toBe(
      0,
    );
    expect(hook.requests).toHaveLength(0);
  });

  it('a prompt nobody answered gets one reminder the next morning', async () => {
    const hook = await receiver();
    const { file, env } = setup(hook.url);
    await runCli(['import', file], env);
    const morning = { ...env, KNEECHECK_NOW: '2026-11-26T07:01:00Z' };
    await runCli(['notify', 'run-due'], morning);
    await runCli(['notify', 'run-due'], { ...morning, KNEECHECK_NOW: '2026-11-26T12:00:00Z' });
    expect(hook.requests.map((_, i) => payloadOf(hook, i).type)).toEqual([
      'knee-check',
      'reminder',
    ]);
  });
});

describe('advice changed', () => {
  it('a check that makes the advice worse is told once; a milder one is not', async () => {
    const hook = await receiver();
    const { file, env } = setup(hook.url);
    await runCli(['import', file], env);
    const night = { ...env, KNEECHECK_NOW: '2026-11-25T21:00:00Z' };
    await runCli(['check', '--pain', '0'], night);
    expect(hook.requests).toHaveLength(1);
    const res = await runCli(['check', '--pain', '5', '--where', 'front', '--swelling'], night);
    expect(res.code).toBe(0);
    expect(hook.requests).toHaveLength(2);
    const changed = payloadOf(hook, 1);
    expect(changed.type).toBe('advice-changed');
    expect(changed.advice.level).toBe('see-doctor');
    expect(changed.title).toBe('Advice changed: SEE A CLINICIAN');
    await runCli(['check', '--pain', '6', '--where', 'front', '--swelling'], night);
    expect(hook.requests).toHaveLength(2);
  });
});

describe('notify status and test', () => {
  const SECRETS = {
    NOTIFY_NTFY_TOKEN: 'tk_ntfy-distinctive-0815',
    NOTIFY_WEBHOOK_SECRET: SECRET,
    NOTIFY_SMTP_URL: 'smtp://runner:smtp-pass-distinctive-99@127.0.0.1:2525',
    KNEECHECK_TOKEN: 'kneecheck-token-distinctive-1234',
    STRAVA_CLIENT_SECRET: 'strava-secret-distinctive-5678',
  };

  it('status --json lists every channel and never contains a secret', async () => {
    const hook = await receiver();
    const { env } = setup(hook.url);
    const res = await runCli(['notify', 'status', '--json'], {
      ...env,
      ...SECRETS,
      NOTIFY_NTFY_URL: `${hook.url}/knees`,
      NOTIFY_EMAIL_TO: 'runner@example.com',
    });
    expect(res.code).toBe(0);
    const status = JSON.parse(res.stdout);
    expect(status.channels.map((c: { name: string }) => c.name)).toEqual([
      'console',
      'ntfy',
      'webhook',
      'email',
      'desktop',
    ]);
    for (const value of [...Object.values(SECRETS), 'smtp-pass-distinctive-99']) {
      expect(res.stdout + res.stderr).not.toContain(value);
    }
  });

  it('test sends to each configured channel and says which failed, without secrets', async () => {
    const hook = await receiver();
    const down = await closedPort();
    const { env } = setup(hook.url);
    const res = await runCli(['notify', 'test'], {
      ...env,
      NOTIFY_NTFY_URL: `http://127.0.0.1:${down}/knees`,
      NOTIFY_NTFY_TOKEN: SECRETS.NOTIFY_NTFY_TOKEN,
    });
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^ok\s+webhook/m);
    expect(res.stdout).toMatch(/^FAILED ntfy: /m);
    expect(hook.requests).toHaveLength(1);
    expect(payloadOf(hook).type).toBe('test');
    expect(res.stdout + res.stderr).not.toContain(SECRETS.NOTIFY_NTFY_TOKEN);
  });
});

describe('standing red flags', () => {
  it('a red flag gets one reminder a week until a clinician has seen the knee', async () => {
    const hook = await receiver();
    const { file, env } = setup(hook.url);
    await runCli(['import', file], env);
    const night = { ...env, KNEECHECK_NOW: '2026-11-25T21:00:00Z' };
    await runCli(['check', '--pain', '2', '--where', 'front', '--swelling'], night);
    // The morning pass starts the clock; a week later one reminder, sent once however often
    // the pass runs.
    await runCli(['notify', 'run-due'], { ...env, KNEECHECK_NOW: '2026-11-26T07:01:00Z' });
    const before = hook.requests.length;
    const weekLater = { ...env, KNEECHECK_NOW: '2026-12-03T07:01:00Z' };
    await runCli(['notify', 'run-due'], weekLater);
    await runCli(['notify', 'run-due'], { ...weekLater, KNEECHECK_NOW: '2026-12-03T12:00:00Z' });
    const reminders = hook.requests.slice(before).map((_, i) => payloadOf(hook, before + i));
    expect(reminders.map((p) => p.type)).toEqual(['reminder']);
    expect(reminders[0]?.title).toMatch(/clinician/);
    // Issue 23: the phone names the dashboard's button, never a command.
    expect(reminders[0]?.message).toMatch(/A clinician has seen my knee/);
    expect(reminders[0]?.message).not.toMatch(/kneecheck cleared/);
    // Recorded as seen: no more reminders.
    await runCli(['cleared'], { ...env, KNEECHECK_NOW: '2026-12-04T10:00:00Z' });
    const after = hook.requests.length;
    await runCli(['notify', 'run-due'], { ...env, KNEECHECK_NOW: '2026-12-10T07:01:00Z' });
    expect(hook.requests.slice(after).map((_, i) => payloadOf(hook, after + i).type)).not.toContain(
      'reminder',
    );
  });
});

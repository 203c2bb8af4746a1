import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE_NAME } from '../src/store/index.ts';
import { runCli } from './support/cli.ts';
import { startDaemon, stopDaemons, until } from './support/daemon.ts';
import { tempDir } from './support/paths.ts';
import { startHttpReceiver, type HttpReceiver } from './support/receivers.ts';

let phone: HttpReceiver | null = null;
afterEach(async () => {
  stopDaemons();
  await phone?.close();
  phone = null;
});

/** The runner's project folder: a `.env` that sends ntfy and webhook messages to `phone`. */
function projectFolder(receiver: HttpReceiver): string {
  const cwd = tempDir('kneecheck-project-');
  fs.writeFileSync(
    path.join(cwd, '.env'),
    `NOTIFY_NTFY_URL=${receiver.url}/runner-topic-7f3a\nNOTIFY_WEBHOOK_URL=${receiver.url}/hook\n`,
  );
  return cwd;
}

/** The `KNEECHECK_DATA_DIR=… kneecheck <args>` lines the demo suggests, as env and args. */
function suggested(stdout: string): { env: Record<string, string>; args: string[] }[] {
  return [...stdout.matchAll(/^ {2}KNEECHECK_DATA_DIR=(\S+) kneecheck (\w+)/gm)].map((m) => ({
    env: { KNEECHECK_DATA_DIR: m[1] ?? '' },
    args: [m[2] ?? ''],
  }));
}

/** The demo folder's outbox: one row per message and channel, with its status. */
function outbox(env: Record<string, string>): { channel: string; status: string }[] {
  const db = new Database(path.join(env.KNEECHECK_DATA_DIR ?? '', DB_FILE_NAME), {
    readonly: true,
  });
  try {
    return db.prepare('SELECT channel, status FROM outbox').all() as {
      channel: string;
      status: string;
    }[];
  } finally {
    db.close();
  }
}

describe('the demo never talks to the runner’s real channels', () => {
  it('its suggested commands, a swelling check and notify test, run beside a real .env, send nothing', async () => {
    phone = await startHttpReceiver();
    const cwd = projectFolder(phone);
    const dir = path.join(tempDir(), 'demo');
    const made = await runCli(['demo', '--dir', dir], {}, cwd);
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/send nothing to your ntfy, webhook\s+or email/);
    const commands = suggested(made.stdout);
    expect(commands.map((c) => c.args[0])).toEqual(['report', 'advice', 'runs', 'start']);

    const env = commands[0]?.env ?? {};
    for (const { args } of commands.filter((c) => c.args[0] !== 'start')) {
      const res = await runCli(args, env, cwd);
      expect(res.code, args.join(' ')).toBe(0);
      expect(res.stderr, args.join(' ')).toContain('is a demo data folder');
    }
    const check = await runCli(
      ['check', '--pain', '7', '--where', 'front', '--swelling'],
      env,
      cwd,
    );
    expect(check.code).toBe(0);
    expect(check.stderr).toMatch(
      /notifications stay on this screen \(NOTIFY_NTFY_URL, NOTIFY_WEBHOOK_URL ignored/,
    );
    const test = await runCli(['notify', 'test'], env, cwd);
    expect(test.stdout).not.toMatch(/ntfy|webhook/);
    const status = await runCli(['notify', 'status', '--json'], env, cwd);
    const channels = (
      JSON.parse(status.stdout) as { channels: { name: string; enabled: boolean }[] }
    ).channels;
    expect(channels.filter((c) => c.enabled).map((c) => c.name)).toEqual(['console']);

    // The dashboard on the demo folder: a check posted there stays there too. Not "wait and see
    // that nothing arrived": every send goes through the outbox, enqueued (for each active
    // channel) before the check is answered; once no message is left to send, the outbox says
    // which channels were ever used: only the console.
    const daemon = await startDaemon(env, cwd);
    const posted = await fetch(`${daemon.url}api/checks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ pain: 8, where: ['front'], swelling: true }),
    });
    expect(posted.status).toBe(201);
    const rows = await until(() => {
      const all = outbox(env);
      return all.every((r) => r.status === 'sent' || r.status === 'failed') && all;
    }, 'the outbox sent');
    expect(rows.length).toBeGreaterThan(0);
    expect([...new Set(rows.map((r) => r.channel))]).toEqual(['console']);
    expect(phone.requests).toEqual([]);
  });

  it('the same .env with a real data folder does reach the receiver (the test can see a send)', async () => {
    phone = await startHttpReceiver();
    const cwd = projectFolder(phone);
    const res = await runCli(['notify', 'test'], { KNEECHECK_DATA_DIR: tempDir() }, cwd);
    expect(res.code).toBe(0);
    expect(phone.requests.map((r) => r.url)).toEqual(expect.arrayContaining(['/hook']));
    expect(res.stderr).not.toContain('demo data folder');
  });
});

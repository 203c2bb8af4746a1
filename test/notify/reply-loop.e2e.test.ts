import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KneeCheck } from '../../src/model.ts';
import { Store } from '../../src/store/index.ts';
import { runCli } from '../support/cli.ts';
import { startDaemon, stopDaemons, until } from '../support/daemon.ts';
import { startFakeNtfy, type FakeNtfy } from '../support/fake-ntfy.ts';
import { tempDir } from '../support/paths.ts';
import { simpleRun } from '../support/synth-fit.ts';

const KNEECHECK_TOKEN = 'kneecheck-token-NEVER-PUBLISHED-4d2a';
const NTFY_TOKEN = 'tk_ntfy-e2e-token-55f1';
const TOPIC = 'my-knees-prompts-91b3';

const servers: FakeNtfy[] = [];
afterEach(async () => {
  stopDaemons();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function fakeNtfy(opts: { anonymousWrite?: boolean } = {}): Promise<FakeNtfy> {
  const s = await startFakeNtfy({ token: NTFY_TOKEN, ...opts });
  servers.push(s);
  return s;
}

const env = (ntfy: FakeNtfy, data: string): Record<string, string> => ({
  KNEECHECK_DATA_DIR: data,
  KNEECHECK_HOST: '127.0.0.1',
  KNEECHECK_TOKEN,
  NOTIFY_NTFY_URL: `${ntfy.url}/${TOPIC}`,
  NOTIFY_NTFY_TOKEN: NTFY_TOKEN,
});

/** The checks as the daemon stored them (a second reader of the same SQLite file). */
function checksIn(data: string): KneeCheck[] {
  const store = Store.open(data);
  try {
    return store.checks.list();
  } finally {
    store.close();
  }
}

describe('the knee check answered on the phone, daemon on loopback, no public URL (issue 15)', () => {
  it('a dropped run is prompted through ntfy; "No pain" records pain 0; "Some pain" and one answer per question record pain and where; the token never leaves', async () => {
    const ntfy = await fakeNtfy();
    const data = tempDir('kneecheck-replies-');
    const daemon = await startDaemon(env(ntfy, data));
    const inbox = path.join(data, 'inbox');
    const drop = (name: string, hoursAgo: number, km: number) =>
      fs.writeFileSync(
        path.join(inbox, name),
        simpleRun(new Date(Date.now() - hoursAgo * 3600_000), { km }),
      );

    drop('morning.fit', 5, 4);
    const [first] = await ntfy.waitForMessages(TOPIC, 1, 15_000);
    if (!first) throw new Error('no prompt');
    const buttons = first.actions ?? [];
    expect(buttons.map((b) => b.label)).toEqual(['No pain', 'Some pain', 'Hurts']);
    for (const b of buttons) expect(b.url).toMatch(new RegExp(`^${ntfy.url}/kc-[\\w-]{32}$`));
    expect(await ntfy.tap(first, 'No pain')).toBe(200);
    const noPain = await until(
      () => checksIn(data).find((c) => c.via === 'notification'),
      'the check from "No pain"',
    );
    expect(noPain).toMatchObject({ pain: 0, where: [] });
    expect(noPain.runId).not.toBeNull();

    drop('evening.fit', 1, 6);
    const prompts = await until(
      () =>
        ntfy.messages(TOPIC).filter((m) => m.title?.startsWith('How do your knees')).length === 2,
      'the second prompt',
      15_000,
    );
    expect(prompts).toBe(true);
    const labels = ['Some pain', 'Front', 'Left', '4–5', 'None'];
    for (const [i, label] of labels.entries()) {
      const shown = ntfy.messages(TOPIC).filter((m) => m.actions?.some((a) => a.label === label));
      const question = shown.at(-1);
      if (!question) throw new Error(`no notification offers "${label}" (step ${i})`);
      expect(await ntfy.tap(question, label)).toBe(200);
      if (i < labels.length - 1) {
        await until(
          () => ntfy.messages(TOPIC).some((m) => m.actions?.some((a) => a.label === labels[i + 1])),
          `the question after "${label}"`,
        );
      }
    }
    const painful = await until(
      () => checksIn(data).find((c) => c.via === 'notification' && c.pain > 0),
      'the check from the series',
    );
    expect(painful).toMatchObject({ pain: 5, where: ['front'], knee: 'left' });
    expect(painful.runId).not.toBe(noPain.runId);

    const everything = ntfy.requests.map((r) => `${r.url} ${JSON.stringify(r.headers)} ${r.body}`);
    const port = new URL(daemon.url).port;
    expect(everything.join('\n')).not.toContain(KNEECHECK_TOKEN);
    expect(everything.join('\n')).not.toContain(`127.0.0.1:${port}`);
    expect(everything.join('\n')).not.toContain('/api/checks');
    expect(daemon.stderr()).not.toMatch(/kc-[\w-]{32}/);
  });

  it('`notify test` sends a test prompt and reports that the reply came back through the server', async () => {
    const ntfy = await fakeNtfy();
    const data = tempDir('kneecheck-replies-');
    const res = await runCli(['notify', 'test'], env(ntfy, data));
    expect(res.stdout).toMatch(
      new RegExp(`ok +ntfy replies \\(${ntfy.url.replace(/\./g, '\\.')}/\\*\\*\\*\\*\\)`),
    );
    expect(res.code).toBe(0);
    const [prompt] = ntfy.messages(TOPIC);
    expect(prompt?.actions?.map((a) => a.label)).toEqual(['Test reply']);
    expect(res.stdout + res.stderr).not.toMatch(/kc-[\w-]{32}/);
    const status = await runCli(['notify', 'status'], env(ntfy, data));
    expect(status.stdout).toContain(`answers  ntfy reply topic ${ntfy.url}/****`);
    expect(status.stdout).not.toMatch(/kc-[\w-]{32}/);
  });

  it('`notify test` says the buttons cannot answer, and how to fix it, on a server that refuses answers without a token', async () => {
    const ntfy = await fakeNtfy({ anonymousWrite: false });
    const res = await runCli(['notify', 'test'], env(ntfy, tempDir('kneecheck-replies-')));
    expect(res.stdout).toMatch(/ok +ntfy\n/);
    expect(res.stdout).toMatch(/NO +ntfy replies .*HTTP 403.*write-only.*buttons cannot answer/);
    // The prompt itself was delivered: the exit code is the channels'.
    expect(res.code).toBe(0);
  });
});

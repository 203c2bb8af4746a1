import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importPaths } from '../../src/import/pipeline.ts';
import { silentLogger } from '../../src/log.ts';
import email from '../../src/notify/channels/email.ts';
import ntfy, { type NtfyPublish } from '../../src/notify/channels/ntfy.ts';
import { deliverDue } from '../../src/notify/deliver.ts';
import type { NotifyDeps } from '../../src/notify/deps.ts';
import { notifyNewRuns } from '../../src/notify/index.ts';
import { Store } from '../../src/store/index.ts';
import { tempDir } from '../support/paths.ts';
import { withDbFile } from '../support/sqlite.ts';
import {
  startHttpReceiver,
  startSmtpReceiver,
  type HttpReceiver,
  type SmtpReceiver,
} from '../support/receivers.ts';
import { simpleRun } from '../support/synth-fit.ts';
import { configFrom, sampleMessage, sendContext } from './channels/fixtures.ts';

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function receivers(): Promise<{ phone: HttpReceiver; mail: SmtpReceiver }> {
  const phone = await startHttpReceiver();
  const mail = await startSmtpReceiver();
  closers.push(
    () => phone.close(),
    () => mail.close(),
  );
  return { phone, mail };
}

/** A store with a new run, notifier deps sending to ntfy (`phone`) and email (`mail`). */
async function withNewRun(phone: HttpReceiver, mail: SmtpReceiver) {
  const dir = tempDir();
  const store = Store.open(dir);
  closers.push(() => store.close());
  const now = new Date('2026-11-25T19:00:00Z');
  const config = configFrom({
    KNEECHECK_DATA_DIR: dir,
    NOTIFY_NTFY_URL: `${phone.url}/runner-topic`,
    NOTIFY_SMTP_URL: `smtp://runner%40example.org:pw@127.0.0.1:${mail.port}`,
    NOTIFY_EMAIL_TO: 'me@example.org',
  });
  const deps: NotifyDeps = { store, config, now: () => now, log: silentLogger };
  const file = path.join(dir, 'run.fit');
  fs.writeFileSync(file, simpleRun(new Date('2026-11-25T17:00:00Z')));
  const report = await importPaths([file], {
    store,
    ctx: { timezone: config.timezone },
    now: () => now.toISOString(),
  });
  return { deps, store, runs: report.imported.map((i) => i.run) };
}

const sequenceOf = (body: string | undefined) =>
  (JSON.parse(body ?? '{}') as NtfyPublish).sequence_id;

describe('a message sent twice carries one id on every channel that can carry one', () => {
  it('after a crash between the receiver’s answer and the outbox update, ntfy and email get the same ids again', async () => {
    const { phone, mail } = await receivers();
    const t = await withNewRun(phone, mail);
    // console, ntfy and email
    expect((await notifyNewRuns(t.deps, t.runs)).sent).toBe(3);
    // kill -9 before the outbox recorded the sends: both rows are due again.
    withDbFile(t.deps.config.dataDir, (db) =>
      db.prepare("UPDATE outbox SET status = 'pending', sent_at = NULL").run(),
    );
    expect((await deliverDue(t.deps)).sent).toBe(3);

    expect(phone.requests).toHaveLength(2);
    const [first, again] = phone.requests;
    expect(sequenceOf(first?.body)).toMatch(/^kc-[0-9a-f]{40}$/);
    expect(sequenceOf(again?.body)).toBe(sequenceOf(first?.body));
    expect(first?.headers['x-sequence-id']).toBe(sequenceOf(first?.body));

    expect(mail.messages).toHaveLength(2);
    const ids = mail.messages.map((m) => m.headers['message-id']);
    expect(ids[0]).toMatch(/^<kneecheck\.[0-9a-f]{40}@example\.org>$/);
    expect(ids[1]).toBe(ids[0]);
    const deliveries = mail.messages.map((m) => m.headers['x-kneecheck-delivery']);
    expect(deliveries[0]).toMatch(/^knee-check:.*:email:\d+$/);
    expect(deliveries[1]).toBe(deliveries[0]);
  });

  it('two different messages get different ids; the id tells nothing about the run', async () => {
    const { phone, mail } = await receivers();
    const config = configFrom({
      NOTIFY_NTFY_URL: `${phone.url}/runner-topic`,
      NOTIFY_SMTP_URL: `smtp://127.0.0.1:${mail.port}`,
      NOTIFY_EMAIL_TO: 'me@example.org',
    });
    // A run id of letters no hex digest holds ("abc" turned up by chance in 1 of ~30 runs).
    for (const deliveryId of ['knee-check:run:fit:runzq:x:1', 'follow-up:run:fit:runzq:x:2']) {
      await ntfy.send(sampleMessage(), { ...sendContext(config), deliveryId });
      await email.send(sampleMessage(), { ...sendContext(config), deliveryId });
    }
    const sequences = phone.requests.map((r) => sequenceOf(r.body));
    expect(new Set(sequences).size).toBe(2);
    const ids = mail.messages.map((m) => m.headers['message-id']);
    expect(new Set(ids).size).toBe(2);
    expect(ids[0]).toMatch(/@localhost>$|@kneecheck\.localhost>$/);
    for (const id of [...sequences, ...ids])
      expect(id).not.toMatch(/runzq|fit:|knee-check|follow-up/);
  });

  it('notify test (no outbox) sends no sequence id', async () => {
    const { phone } = await receivers();
    const config = configFrom({ NOTIFY_NTFY_URL: `${phone.url}/runner-topic` });
    await ntfy.send(sampleMessage(), sendContext(config));
    expect(sequenceOf(phone.requests[0]?.body)).toBeUndefined();
    expect(phone.requests[0]?.headers['x-sequence-id']).toBeUndefined();
  });
});

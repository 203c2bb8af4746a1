import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importPaths } from '../../src/import/pipeline.ts';
import { silentLogger } from '../../src/log.ts';
import type { NotifyDeps } from '../../src/notify/deps.ts';
import { notifyNewRuns } from '../../src/notify/index.ts';
import { deliverDue } from '../../src/notify/deliver.ts';
import { Store } from '../../src/store/index.ts';
import { tempDir } from '../support/paths.ts';
import { startHttpReceiver, type HttpReceiver } from '../support/receivers.ts';
import { simpleRun } from '../support/synth-fit.ts';
import { configFrom } from './channels/fixtures.ts';

const receivers: HttpReceiver[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) s.close();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** A store with one run that ended an hour ago, and notifier deps on a movable clock. */
async function withNewRun(hook: HttpReceiver) {
  const dir = tempDir();
  const store = Store.open(dir);
  stores.push(store);
  let now = new Date('2026-11-25T19:00:00Z');
  const config = configFrom({ NOTIFY_WEBHOOK_URL: `${hook.url}/hook` });
  const deps: NotifyDeps = {
    store,
    config,
    now: () => now,
    log: silentLogger,
    sendTimeoutMs: 300,
  };
  const file = path.join(dir, 'run.fit');
  fs.writeFileSync(file, simpleRun(new Date('2026-11-25T17:00:00Z')));
  const report = await importPaths([file], {
    store,
    ctx: { timezone: config.timezone },
    now: () => now.toISOString(),
  });
  const webhookRows = () =>
    store.outbox
      .list(['pending', 'sending', 'sent', 'failed'])
      .filter((i) => i.channel === 'webhook');
  return {
    deps,
    runs: report.imported.map((i) => i.run),
    webhookRows,
    advance(minutes: number) {
      now = new Date(now.getTime() + minutes * 60_000);
    },
  };
}

describe('the outbox', () => {
  it('a receiver slower than the send timeout is retried later and the prompt is delivered', async () => {
    const hook = await startHttpReceiver();
    receivers.push(hook);
    hook.slowDown(1500);
    const t = await withNewRun(hook);
    const first = await notifyNewRuns(t.deps, t.runs);
    expect(first.retrying).toBe(1);
    expect(t.webhookRows()[0]).toMatchObject({ status: 'pending', attempts: 1 });
    expect(t.webhookRows()[0]?.lastError).toMatch(/time|abort/i);

    const firstAttempt = [...hook.requests];
    hook.reset();
    // Not due yet: the backoff holds the retry back.
    expect((await deliverDue(t.deps)).sent).toBe(0);
    t.advance(1);
    expect(await deliverDue(t.deps)).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(hook.delivered()).toHaveLength(1);
    expect(t.webhookRows()[0]).toMatchObject({ status: 'sent', attempts: 2 });
    // Both attempts carry the same delivery id, so a receiver that got the first can drop the second.
    const ids = [...firstAttempt, ...hook.requests].map((r) => r.headers['x-kneecheck-delivery']);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^knee-check:run:fit:[0-9a-f]+:webhook:\d+$/);
    expect(ids[1]).toBe(ids[0]);
  });

  it('a channel down for more than 24 h gives the message up, with the last error kept', async () => {
    const hook = await startHttpReceiver();
    receivers.push(hook);
    hook.failWith(503);
    const t = await withNewRun(hook);
    await notifyNewRuns(t.deps, t.runs);
    let attempts = 1;
    for (let h = 0; h < 26 && t.webhookRows()[0]?.status === 'pending'; h++) {
      t.advance(60);
      const r = await deliverDue(t.deps);
      attempts += r.retrying + r.failed;
    }
    const [row] = t.webhookRows();
    expect(row).toMatchObject({ status: 'failed' });
    expect(row?.lastError).toMatch(/503/);
    expect(row?.attempts).toBe(attempts);
    expect(hook.delivered()).toHaveLength(0);
  });

  it('prompting the same run twice stores and sends one message per channel', async () => {
    const hook = await startHttpReceiver();
    receivers.push(hook);
    const t = await withNewRun(hook);
    await notifyNewRuns(t.deps, t.runs);
    await notifyNewRuns(t.deps, t.runs);
    expect(t.webhookRows()).toHaveLength(1);
    expect(hook.requests).toHaveLength(1);
  });
});

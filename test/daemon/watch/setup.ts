import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach } from 'vitest';
import {
  startWatcher,
  type InboxWatcher,
  type WatcherOptions,
} from '../../../src/daemon/watch/watcher.ts';
import type { ImportReport } from '../../../src/import/pipeline.ts';
import { createLogger } from '../../../src/log.ts';
import { Store } from '../../../src/store/index.ts';
import { ManualClock } from '../../support/clock.ts';
import { tempDir } from '../../support/paths.ts';

/** A morning `n` days after 1 October 2026, 06:00 UTC. */
export const day = (n: number) => new Date(Date.UTC(2026, 9, 1, 6, 0, 0) + n * 86_400_000);

/** A folder's entries, sorted ([] when it is not there). */
export const ls = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

const opened: { store: Store | null; watcher: InboxWatcher | null }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.watcher?.close();
    o.store?.close();
  }
});

/**
 * A data folder with a store, and a watcher on an inbox (default `<data>/inbox`) whose waits run
 * on a clock the test moves (`run(what, cond)`, standing still while a batch is imported), logging
 * JSON lines into `lines`. As in watcher.test.ts: no test sleeps against a real threshold.
 */
export function watchSetup(opts: { data?: string; inbox?: string } = {}) {
  const data = opts.data ?? tempDir('kneecheck-watch-');
  const store = Store.open(data);
  const inbox = opts.inbox ?? path.join(data, 'inbox');
  const reports: ImportReport[] = [];
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  const logger = createLogger({ stream, json: true, level: 'debug' });
  const slot: { store: Store | null; watcher: InboxWatcher | null } = { store, watcher: null };
  opened.push(slot);
  const clock = new ManualClock();
  const working = () => slot.watcher?.importing === true;
  const run = (what: string, cond: () => boolean) => clock.runUntil(what, cond, working);
  const idle = () => run('the watcher idle', () => slot.watcher?.busy === false);
  const start = async (extra: Partial<WatcherOptions> = {}) => {
    const w = await startWatcher({
      inbox,
      store,
      timezone: 'Europe/Berlin',
      logger,
      clock,
      settleMs: 600,
      workers: 0,
      onImported: (r) => {
        reports.push(r);
      },
      ...extra,
    });
    slot.watcher = w;
    return w;
  };
  const imported = () => reports.flatMap((r) => r.imported);
  /** Closes the watcher and the store (for tests that damage the database file). */
  const stop = async () => {
    await slot.watcher?.close();
    slot.watcher = null;
    store.close();
    slot.store = null;
  };
  const logged = (msg: RegExp) => lines.filter((l) => msg.test(String(l.msg)));
  return {
    data,
    store,
    inbox,
    processed: path.join(inbox, 'processed'),
    failed: path.join(inbox, 'failed'),
    reports,
    lines,
    logged,
    start,
    stop,
    imported,
    clock,
    run,
    idle,
  };
}

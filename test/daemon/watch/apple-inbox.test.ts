import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startWatcher, type InboxWatcher } from '../../../src/daemon/watch/watcher.ts';
import { createLogger } from '../../../src/log.ts';
import { Store } from '../../../src/store/index.ts';
import { exportXml } from '../../support/apple-export.ts';
import { ManualClock } from '../../support/clock.ts';
import { tempDir } from '../../support/paths.ts';
import { makeZip } from '../../support/zip.ts';

const opened: { store: Store; watcher: InboxWatcher | null }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.watcher?.close();
    o.store.close();
  }
});

const ls = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);
const T = Date.UTC(2025, 6, 10, 7) / 1000;

describe('the inbox and an Apple Health export', () => {
  it('imports a dropped export.zip (the Health app’s) and files it in processed/', async () => {
    const data = tempDir('kneecheck-watch-');
    const store = Store.open(data);
    const inbox = path.join(data, 'inbox');
    const slot: { store: Store; watcher: InboxWatcher | null } = { store, watcher: null };
    opened.push(slot);
    const clock = new ManualClock();
    const stream = new Writable({ write: (_c, _e, cb) => cb() });
    const w = await startWatcher({
      inbox,
      store,
      timezone: 'Europe/Berlin',
      logger: createLogger({ stream, json: true, level: 'debug' }),
      clock,
      settleMs: 600,
    });
    slot.watcher = w;
    const xml = exportXml({
      workouts: [
        { startS: T, endS: T + 3600, distanceKm: 10, timeZone: 'Europe/Paris' },
        { type: 'HKWorkoutActivityTypeWalking', startS: T + 86_400, endS: T + 90_000 },
      ],
    });
    fs.writeFileSync(
      path.join(inbox, 'export.zip'),
      makeZip({ 'apple_health_export/export.xml': Buffer.from(xml) }),
    );
    const working = () => w.importing;
    await clock.runUntil('the run stored', () => store.runs.count() === 1, working);
    await clock.runUntil(
      'the zip filed',
      () => ls(path.join(inbox, 'processed')).length > 0,
      working,
    );
    expect(ls(path.join(inbox, 'processed'))).toEqual(['export.zip']);
    expect(ls(path.join(inbox, 'failed'))).toEqual([]);
    const run = store.runs.near(T, 60)[0];
    expect(run?.source).toBe('apple-health');
    expect(run?.startTime).toBe('2025-07-10T09:00:00+02:00');
  });
});

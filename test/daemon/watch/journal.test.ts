import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { READING_JOURNAL_KEY, type ReadingEntry } from '../../../src/daemon/watch/journal.ts';
import { startWatcher, type InboxWatcher } from '../../../src/daemon/watch/watcher.ts';
import { Store } from '../../../src/store/index.ts';
import { ManualClock } from '../../support/clock.ts';
import { tempDir } from '../../support/paths.ts';
import { simpleRun } from '../../support/synth-fit.ts';

/**
 * A file being read when kneecheck stopped (issue 21 item 2: a poison file crashed the daemon at
 * every start, because it stayed in the inbox). The journal a killed daemon leaves is written
 * here as it would have been (settings table, path → size, mtime, since, alone).
 */
const day = (n: number) => new Date(Date.UTC(2026, 9, 1, 6, 0, 0) + n * 86_400_000);
const ls = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

const opened: { store: Store; watcher: InboxWatcher | null }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.watcher?.close();
    o.store.close();
  }
});

function setup() {
  const data = tempDir('kneecheck-journal-');
  const store = Store.open(data);
  const inbox = path.join(data, 'inbox');
  fs.mkdirSync(inbox, { recursive: true });
  const slot: { store: Store; watcher: InboxWatcher | null } = { store, watcher: null };
  opened.push(slot);
  const clock = new ManualClock();
  const working = () => slot.watcher?.importing === true;
  const run = (what: string, cond: () => boolean) => clock.runUntil(what, cond, working);
  const idle = () =>
    clock.runUntil('the watcher idle', () => slot.watcher?.busy === false, working);
  const start = async (sources: string[] = []) => {
    slot.watcher = await startWatcher({ inbox, sources, store, timezone: 'Europe/Berlin', clock });
    return slot.watcher;
  };
  /** Writes the journal a daemon killed while reading these files leaves. */
  const leftBehind = (files: string[], alone: boolean) => {
    const entries: Record<string, ReadingEntry> = {};
    for (const f of files) {
      const st = fs.statSync(f);
      entries[f] = { size: st.size, mtimeMs: st.mtimeMs, since: '2026-10-01T06:00:00.000Z', alone };
    }
    store.settings.set(READING_JOURNAL_KEY, entries, '2026-10-01T06:00:00.000Z');
  };
  const drop = (name: string, bytes: Uint8Array) => {
    const f = path.join(inbox, name);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, bytes);
    // Old enough not to be a copy still being written.
    const old = new Date(Date.now() - 3600_000);
    fs.utimesSync(f, old, old);
    return f;
  };
  return {
    store,
    inbox,
    processed: path.join(inbox, 'processed'),
    failed: path.join(inbox, 'failed'),
    start,
    run,
    idle,
    leftBehind,
    drop,
  };
}

describe('a file being read when kneecheck stopped', () => {
  it('read alone then: at the next start it goes to failed/ with a note, unread; the others are imported', async () => {
    const t = setup();
    // Any bytes: it is not read again (a real poison could take kneecheck down once more).
    const poison = t.drop('sub/poison.fit', simpleRun(day(9)));
    const goods = [0, 1, 2].map((i) => t.drop(`good-${i}.fit`, simpleRun(day(i))));
    t.leftBehind([poison], true);
    await t.start();
    await t.idle();
    expect(ls(path.join(t.failed, 'sub'))).toEqual(['poison.fit', 'poison.fit.error.txt']);
    const note = fs.readFileSync(path.join(t.failed, 'sub/poison.fit.error.txt'), 'utf8');
    expect(note).toMatch(/^File: sub\/poison\.fit$/m);
    expect(note).toMatch(
      /^Problem: it stopped kneecheck while being read \(its reading started at 2026-10-01T06:00:00\.000Z\)/m,
    );
    expect(note).toMatch(/It is not read again/);
    // Unread: the run it holds was never stored.
    expect(t.store.runs.count()).toBe(3);
    expect(ls(t.processed)).toEqual(goods.map((g) => path.basename(g)).sort());
    expect(t.store.settings.get(READING_JOURNAL_KEY)).toBeNull();
    expect(opened[0]?.watcher?.status().failed).toBe(1);
  });

  it('in a batch then: each is read again alone, and good files are imported, none failed', async () => {
    const t = setup();
    const files = [0, 1, 2, 3].map((i) => t.drop(`run-${i}.fit`, simpleRun(day(i))));
    t.leftBehind(files.slice(0, 3), false);
    const batches: string[][] = [];
    const settings = t.store.settings;
    const set = settings.set.bind(settings);
    settings.set = (key, value, now) => {
      // The files being read now (alone); the rest of the killed batch stays written down.
      if (key === READING_JOURNAL_KEY) {
        const entries = Object.entries(value as Record<string, ReadingEntry>);
        const alone = entries.filter(([, e]) => e.alone).map(([f]) => f);
        if (alone.length > 0) batches.push(alone);
      }
      set(key, value, now);
    };
    await t.start();
    await t.idle();
    // The three of the killed batch one at a time, then the new one.
    expect(batches).toEqual(files.map((f) => [f]));
    expect(t.store.runs.count()).toBe(4);
    expect(ls(t.failed)).toEqual([]);
    expect(ls(t.processed)).toHaveLength(4);
    expect(t.store.settings.get(READING_JOURNAL_KEY)).toBeNull();
  });

  it('on a read-only folder: not read again, left in place, and the other files imported', async () => {
    const t = setup();
    const watch = tempDir('kneecheck-watch-src-');
    const stuck = path.join(watch, 'stuck.fit');
    const other = path.join(watch, 'other.fit');
    fs.writeFileSync(stuck, simpleRun(day(5)));
    fs.writeFileSync(other, simpleRun(day(6)));
    t.leftBehind([stuck], true);
    const w = await t.start([watch]);
    await t.run('both looked at', () => w.status().imported + w.status().failed >= 2);
    await t.idle();
    expect(w.status()).toMatchObject({ imported: 1, failed: 1 });
    expect(t.store.runs.count()).toBe(1);
    expect(fs.readdirSync(watch).sort()).toEqual(['other.fit', 'stuck.fit']);
    expect(t.store.settings.get(READING_JOURNAL_KEY)).toBeNull();
    // Started again, it does not look at it again (the memo of read-only files has it).
    await w.close();
    const again = await t.start([watch]);
    await t.idle();
    expect(again.status()).toMatchObject({ imported: 0, failed: 0 });
  });

  it('a new copy under the same name (another size or mtime) is read as usual', async () => {
    const t = setup();
    const f = t.drop('run.fit', simpleRun(day(0)));
    t.leftBehind([f], true);
    // The runner copies the file again: another mtime.
    const later = new Date(Date.now() - 60_000);
    fs.utimesSync(f, later, later);
    await t.start();
    await t.idle();
    expect(ls(t.processed)).toEqual(['run.fit']);
    expect(t.store.runs.count()).toBe(1);
  });

  it('is written down while its batch is read and struck off once it is stored', async () => {
    const t = setup();
    const w = await t.start();
    await t.idle();
    const seen: (Record<string, ReadingEntry> | null)[] = [];
    const settings = t.store.settings;
    const set = settings.set.bind(settings);
    settings.set = (key, value, now) => {
      if (key === READING_JOURNAL_KEY) seen.push(value as Record<string, ReadingEntry>);
      set(key, value, now);
    };
    const f = t.drop('run.fit', simpleRun(day(0)));
    await t.run('the file filed', () => ls(t.processed).includes('run.fit'));
    const st = fs.statSync(path.join(t.processed, 'run.fit'));
    expect(seen).toEqual([
      { [f]: { size: st.size, mtimeMs: st.mtimeMs, since: expect.any(String), alone: true } },
    ]);
    expect(settings.get(READING_JOURNAL_KEY)).toBeNull();
    expect(w.status().imported).toBe(1);
  });
});

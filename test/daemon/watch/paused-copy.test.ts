import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { simpleRun } from '../../support/synth-fit.ts';
import { day, ls, watchSetup } from './setup.ts';

/**
 * Issue 21 item 4: a copy that pauses for longer than the watcher waits is filed away while still
 * being written (the copying program writes on into the moved file). Such a file is read again.
 */
describe('a copy that pauses past every wait', () => {
  it('replaces the partial run stored from its first part with the whole run', async () => {
    const t = watchSetup();
    await t.start({ followMs: 10_000 });
    const bytes = Buffer.from(simpleRun(day(0), { km: 5 }));
    const file = path.join(t.inbox, 'watch-copy.fit');
    const fd = fs.openSync(file, 'w');
    try {
      fs.writeSync(fd, bytes.subarray(0, Math.floor(bytes.length / 4)));
      // The copy stalls until its first part is read, stored as a partial run and filed away.
      await t.run('the first part filed', () => ls(t.processed).includes('watch-copy.fit'));
      expect(t.imported().at(-1)?.run.partial).toBe(true);
      fs.writeSync(fd, bytes.subarray(Math.floor(bytes.length / 4)));
    } finally {
      fs.closeSync(fd);
    }
    await t.run('the whole run stored', () => t.imported().some((i) => !i.run.partial));
    await t.run('filed again', () => ls(t.processed).includes('watch-copy.fit'));
    await t.idle();
    expect(t.store.runs.count()).toBe(1);
    const whole = t.imported().find((i) => !i.run.partial)?.run;
    expect(whole?.distanceM).toBeGreaterThan(4900);
    expect(ls(t.processed)).toEqual(['watch-copy.fit']);
    expect(fs.readFileSync(path.join(t.processed, 'watch-copy.fit'))).toEqual(bytes);
    expect(ls(t.failed)).toEqual([]);
    expect(t.logged(/changed after it was filed/)).toHaveLength(1);
  });

  it('imports a copy that completes inside failed/, and takes its note away', async () => {
    const t = watchSetup();
    await t.start({ followMs: 10_000 });
    const bytes = Buffer.from(simpleRun(day(1), { km: 4 }));
    const file = path.join(t.inbox, 'slow.fit');
    const fd = fs.openSync(file, 'w');
    try {
      // Only the start of the header: not readable at all, so failed/ with a note.
      fs.writeSync(fd, bytes.subarray(0, 40));
      await t.run('filed as failed', () => ls(t.failed).includes('slow.fit.error.txt'));
      fs.writeSync(fd, bytes.subarray(40));
    } finally {
      fs.closeSync(fd);
    }
    await t.run('imported after all', () => ls(t.processed).includes('slow.fit'));
    await t.idle();
    expect(ls(t.failed)).toEqual([]);
    expect(t.store.runs.count()).toBe(1);
    expect(fs.readFileSync(path.join(t.processed, 'slow.fit'))).toEqual(bytes);
  });

  it('stops following a filed file once it has not changed for followMs', async () => {
    const t = watchSetup();
    const w = await t.start({ followMs: 3000 });
    fs.writeFileSync(path.join(t.inbox, 'done.fit'), simpleRun(day(2)));
    await t.run('filed', () => ls(t.processed).includes('done.fit'));
    const at = t.clock.now();
    await t.run('past followMs', () => t.clock.now() > at + 4000);
    // A change after that is the user's own business: the file stays where it is.
    fs.appendFileSync(path.join(t.processed, 'done.fit'), 'x');
    const later = t.clock.now();
    await t.run('a while later', () => t.clock.now() > later + 4000);
    expect(ls(t.processed)).toEqual(['done.fit']);
    expect(w.status().imported).toBe(1);
  });
});

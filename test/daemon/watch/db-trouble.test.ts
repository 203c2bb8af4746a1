import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../../src/store/index.ts';
import { corruptTables, smallDisk, type SmallDisk } from '../../support/damage.ts';
import { tempDir } from '../../support/paths.ts';
import { simpleRun } from '../../support/synth-fit.ts';
import { day, ls, watchSetup } from './setup.ts';

/** Every file under `dir` whose name says it is a temporary file. */
const temporaries = (dir: string): string[] =>
  (fs.readdirSync(dir, { recursive: true }) as string[]).filter((n) => /\.tmp$/.test(n));

const disks: SmallDisk[] = [];
afterAll(() => {
  for (const d of disks.splice(0)) d.unmount();
});

/** Issue 21 items 5 and 9: a full disk or a damaged database blames no file and loses none. */
describe('the database cannot take files', () => {
  const disk = smallDisk();
  const noDisk = typeof disk === 'string' ? disk : '';
  if (typeof disk !== 'string') disks.push(disk);

  it.skipIf(noDisk !== '')(
    `keeps good files in the inbox while the disk is full, says so once, and imports them once there is room${noDisk && ` (skipped: ${noDisk})`}`,
    async () => {
      const d = disk as SmallDisk;
      const t = watchSetup({ data: d.dir });
      await t.start({ retryMs: 5000 });
      // The inbox made, and one run stored, before the disk fills up.
      fs.writeFileSync(path.join(t.inbox, 'first.fit'), simpleRun(day(0)));
      await t.run('the first run filed', () => ls(t.processed).includes('first.fit'));
      const runs = [1, 2, 3].map((n) => Buffer.from(simpleRun(day(n), { km: 8 + n })));
      for (const [i, b] of runs.entries()) fs.writeFileSync(path.join(t.inbox, `r${i}.fit`), b);
      d.fill();
      await t.run('the problem said', () => t.logged(/^cannot import/).length > 0);
      expect(t.store.runs.count()).toBe(1);
      const said = t.logged(/^cannot import/);
      expect(String(said[0]?.msg)).toMatch(
        /the disk holding .*kneecheck\.sqlite is full.*Free some space/,
      );
      // Tried again a few times while the disk stays full: said once, the files stay.
      const at = t.clock.now();
      await t.run('two more tries', () => t.clock.now() >= at + 12_000);
      expect(t.logged(/^cannot import/)).toHaveLength(1);
      expect(ls(t.inbox)).toEqual(['failed', 'processed', 'r0.fit', 'r1.fit', 'r2.fit']);
      expect(ls(t.failed)).toEqual([]);
      expect(temporaries(d.dir)).toEqual([]);
      d.free();
      await t.run('all filed', () => ls(t.processed).length === 4);
      await t.idle();
      expect(t.store.runs.count()).toBe(4);
      expect(ls(t.failed)).toEqual([]);
      expect(t.logged(/takes files again/)).toHaveLength(1);
      for (const [i, b] of runs.entries()) {
        expect(fs.readFileSync(path.join(t.processed, `r${i}.fit`))).toEqual(b);
      }
    },
  );

  it('blames no good file for a damaged database: they stay in the inbox, and it is said once', async () => {
    const data = tempDir('kneecheck-damaged-');
    const before = Store.open(data);
    before.close();
    corruptTables(data, ['runs', 'run_sources', 'files']);
    const t = watchSetup({ data });
    await t.start({ retryMs: 5000 });
    fs.writeFileSync(path.join(t.inbox, 'good.fit'), simpleRun(day(0)));
    fs.writeFileSync(path.join(t.inbox, 'also-good.fit'), simpleRun(day(1)));
    await t.run('the problem said', () => t.logged(/^cannot import/).length > 0);
    const at = t.clock.now();
    await t.run('more tries', () => t.clock.now() >= at + 12_000);
    const said = t.logged(/^cannot import/);
    expect(said).toHaveLength(1);
    expect(String(said[0]?.msg)).toMatch(/kneecheck\.sqlite is damaged.*move the file aside/);
    expect(ls(t.failed)).toEqual([]);
    expect(ls(t.inbox)).toEqual(['also-good.fit', 'failed', 'good.fit', 'processed']);
  });
});

/** Issue 21 item 5: no room for an `.error.txt` note on the inbox's disk. */
describe('an inbox on a full disk', () => {
  const disk = smallDisk(1024);
  const why = typeof disk === 'string' ? ` (skipped: ${disk})` : '';
  if (typeof disk !== 'string') disks.push(disk);

  it.skipIf(why !== '')(
    `keeps a broken file in the inbox until its note can be written, and leaves no temporary file${why}`,
    async () => {
      const d = disk as SmallDisk;
      const t = watchSetup({ inbox: path.join(d.dir, 'inbox') });
      await t.start({ retryMs: 5000 });
      fs.writeFileSync(path.join(t.inbox, 'broken.fit'), 'this is not a FIT file');
      d.fill();
      await t.run('the full disk said', () => t.logged(/the disk is full/).length > 0);
      await t.run('still in the inbox', () => ls(t.inbox).includes('broken.fit'));
      expect(ls(t.failed)).toEqual([]);
      expect(temporaries(d.dir)).toEqual([]);
      d.free();
      await t.run('filed with its note', () => ls(t.failed).includes('broken.fit.error.txt'));
      await t.idle();
      expect(ls(t.failed)).toEqual(['broken.fit', 'broken.fit.error.txt']);
      expect(ls(t.inbox)).toEqual(['failed', 'processed']);
      expect(temporaries(d.dir)).toEqual([]);
    },
  );
});

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inboxProblem } from '../../../src/config/folders.ts';
import { loadConfig } from '../../../src/config/index.ts';
import { isActivityName } from '../../../importers/names.ts';
import { startDaemon } from '../../../src/daemon/start.ts';
import { ConfigError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/log.ts';
import { tempDir } from '../../support/paths.ts';
import { simpleRun } from '../../support/synth-fit.ts';
import { day, ls, watchSetup } from './setup.ts';

/** Issue 21 item 3: the inbox moves only what is its own. */
describe('linked folders in the inbox', () => {
  /** A folder outside the inbox (a synced folder, a watch) with a run and a broken file. */
  const outside = () => {
    const real = tempDir('kneecheck-real-');
    fs.mkdirSync(path.join(real, 'Activity'));
    fs.writeFileSync(path.join(real, 'Activity', 'run.fit'), simpleRun(day(1)));
    fs.writeFileSync(path.join(real, 'Activity', 'broken.fit'), 'not a FIT file');
    return real;
  };
  const tree = (dir: string) => ls(dir).flatMap((n) => [n, ...ls(path.join(dir, n))]);

  it('reads a linked folder present at start and moves nothing out of it', async () => {
    const real = outside();
    const before = tree(real);
    const t = watchSetup();
    fs.mkdirSync(t.inbox, { recursive: true });
    fs.symlinkSync(real, path.join(t.inbox, 'watch'));
    fs.writeFileSync(path.join(t.inbox, 'own.fit'), simpleRun(day(2)));
    await t.start();
    await t.run('both runs stored', () => t.store.runs.count() === 2);
    await t.run('own.fit filed', () => ls(t.processed).includes('own.fit'));
    await t.idle();
    expect(tree(real)).toEqual(before);
    expect(ls(t.failed)).toEqual([]);
    expect(ls(t.processed)).toEqual(['own.fit']);
    expect(ls(t.inbox)).toEqual(['failed', 'processed', 'watch']);
  });

  it('reads a folder linked into the inbox while it runs, once, and moves nothing out of it', async () => {
    const real = outside();
    const before = tree(real);
    const t = watchSetup();
    const w = await t.start();
    fs.symlinkSync(real, path.join(t.inbox, 'synced'));
    await t.run('the run stored', () => t.store.runs.count() === 1);
    await t.run('the broken file looked at', () => t.logged(/^failed$/).length === 1);
    await t.idle();
    expect(tree(real)).toEqual(before);
    expect(ls(t.failed)).toEqual([]);
    expect(ls(t.processed)).toEqual([]);
    // A new file in the real folder is read through the link, and stays there too.
    fs.writeFileSync(path.join(real, 'Activity', 'next.fit'), simpleRun(day(3)));
    await t.run('the next run stored', () => t.store.runs.count() === 2);
    await t.idle();
    expect(ls(path.join(real, 'Activity'))).toEqual(['broken.fit', 'next.fit', 'run.fit']);
    expect(w.status().failed).toBe(1);
  });
});

describe('a disk mounted inside the inbox', () => {
  it('is read in place, like a linked folder: nothing is copied off it and deleted', async () => {
    const t = watchSetup();
    fs.mkdirSync(path.join(t.inbox, 'WATCH'), { recursive: true });
    const mnt = path.join(t.inbox, 'WATCH');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt], { stdio: 'pipe' });
    } catch (e) {
      console.warn(`mounted-disk case skipped: cannot mount a tmpfs (${(e as Error).message})`);
      return;
    }
    try {
      fs.writeFileSync(path.join(mnt, 'run.fit'), simpleRun(day(4)));
      await t.start();
      await t.run('the run stored', () => t.store.runs.count() === 1);
      await t.idle();
      expect(ls(mnt)).toEqual(['run.fit']);
      expect(ls(t.processed)).toEqual([]);
    } finally {
      await t.stop();
      execFileSync('umount', ['-l', mnt], { stdio: 'pipe' });
    }
  });
});

describe('an inbox that is not kneecheck’s own', () => {
  const home0 = process.env.HOME;
  afterEach(() => {
    if (home0 === undefined) delete process.env.HOME;
    else process.env.HOME = home0;
  });
  const isActivity = isActivityName;

  /** `kneecheck start` with these settings: the error it stops with, or null when it started. */
  const start = async (env: Record<string, string>): Promise<unknown> => {
    const config = loadConfig({
      env: { KNEECHECK_PORT: '0', KNEECHECK_TIMEZONE: 'Europe/Berlin', ...env },
      envFile: path.join(tempDir(), '.env'),
    });
    try {
      const d = await startDaemon(config, silentLogger);
      await d.close();
      return null;
    } catch (e) {
      return e;
    }
  };

  it('refuses the root folder, and makes no /processed or /failed', async () => {
    const had = ['/processed', '/failed'].filter((p) => fs.existsSync(p));
    const e = await start({ KNEECHECK_DATA_DIR: tempDir(), KNEECHECK_INBOX: '/' });
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).variable).toBe('KNEECHECK_INBOX');
    expect((e as Error).message).toMatch(/root folder.*set KNEECHECK_INBOX to a new, empty folder/);
    expect(['/processed', '/failed'].filter((p) => fs.existsSync(p))).toEqual(had);
  });

  it('refuses the home folder and moves none of its files', async () => {
    const home = tempDir('kneecheck-home-');
    process.env.HOME = home;
    for (const f of ['Documents/taxes-2025.zip', 'Downloads/photos.zip', 'walk.gpx']) {
      fs.mkdirSync(path.dirname(path.join(home, f)), { recursive: true });
      fs.writeFileSync(path.join(home, f), 'x');
    }
    const e = await start({ KNEECHECK_DATA_DIR: tempDir(), KNEECHECK_INBOX: home });
    expect((e as ConfigError).variable).toBe('KNEECHECK_INBOX');
    expect((e as Error).message).toMatch(/home folder/);
    expect(ls(home)).toEqual(['Documents', 'Downloads', 'walk.gpx']);
    // A link to the home folder is the home folder.
    const link = path.join(tempDir(), 'inbox-link');
    fs.symlinkSync(home, link);
    expect(inboxProblem(link, { home, dataDir: tempDir(), isActivity })).toMatch(/home folder/);
  });

  it('refuses a folder that already holds other files, naming some; starts on an empty or own one', async () => {
    const data = tempDir();
    const mixed = tempDir('kneecheck-mixed-');
    fs.writeFileSync(path.join(mixed, 'a.fit'), simpleRun(day(0)));
    fs.mkdirSync(path.join(mixed, 'letters'));
    fs.writeFileSync(path.join(mixed, 'letters', 'bank.pdf'), 'x');
    const e = await start({ KNEECHECK_DATA_DIR: data, KNEECHECK_INBOX: mixed });
    expect((e as Error).message).toMatch(/already holds files that are not activity files/);
    expect((e as Error).message).toContain(path.join('letters', 'bank.pdf'));
    expect(ls(mixed)).toEqual(['a.fit', 'letters']);
    // The data folder itself is not an inbox either.
    expect(inboxProblem(data, { home: null, dataDir: data, isActivity })).toMatch(/data folder/);
    // A folder of activity files only, and an inbox kneecheck made before, are fine.
    const fits = tempDir();
    fs.writeFileSync(path.join(fits, 'b.fit'), 'x');
    fs.writeFileSync(path.join(fits, '.DS_Store'), 'x');
    expect(inboxProblem(fits, { home: null, dataDir: data, isActivity })).toBeNull();
    fs.mkdirSync(path.join(mixed, 'processed'));
    fs.mkdirSync(path.join(mixed, 'failed'));
    expect(inboxProblem(mixed, { home: null, dataDir: data, isActivity })).toBeNull();
    expect(await start({ KNEECHECK_DATA_DIR: data })).toBeNull();
  });
});

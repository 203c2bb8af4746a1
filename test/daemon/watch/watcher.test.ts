import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
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
import { simpleRun, synthFit } from '../../support/synth-fit.ts';
import { makeZip } from '../../support/zip.ts';

const day = (n: number) => new Date(Date.UTC(2026, 9, 1, 6, 0, 0) + n * 86_400_000);

const opened: { store: Store; watcher: InboxWatcher | null }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.watcher?.close();
    o.store.close();
  }
});

const ls = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

/**
 * A data dir with a store; `start` opens a watcher on its inbox, logging JSON lines into `lines`.
 * The watcher's waits run on a clock the test moves: `run(what, cond)` moves it on (standing still
 * while a batch is being imported) until `cond` holds; `idle()` until the watcher has nothing to do.
 * No test here sleeps against a real threshold.
 */
function setup() {
  const data = tempDir('kneecheck-watch-');
  const store = Store.open(data);
  const inbox = path.join(data, 'inbox');
  const reports: ImportReport[] = [];
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  const logger = createLogger({ stream, json: true, level: 'debug' });
  const slot: { store: Store; watcher: InboxWatcher | null } = { store, watcher: null };
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
      onImported: (r) => {
        reports.push(r);
      },
      ...extra,
    });
    slot.watcher = w;
    return w;
  };
  const imported = () => reports.flatMap((r) => r.imported);
  return {
    data,
    store,
    inbox,
    processed: path.join(inbox, 'processed'),
    failed: path.join(inbox, 'failed'),
    reports,
    lines,
    start,
    imported,
    clock,
    run,
    idle,
  };
}

describe('the inbox', () => {
  it('imports a dropped FIT file within a second of waiting and moves it to processed/', async () => {
    const t = setup();
    const w = await t.start();
    expect(ls(t.inbox)).toEqual(['failed', 'processed']);
    const bytes = simpleRun(day(0));
    fs.writeFileSync(path.join(t.inbox, 'morning.fit'), bytes);
    await t.clock.waitFor('the watcher sees the file', () => w.status().pending === 1);
    const seen = t.clock.now();
    await t.run('the run stored', () => t.store.runs.count() === 1);
    // The watcher's own waits (collecting events, then seeing the file unchanged), not the
    // machine's speed: the clock stands still while the file is decoded and stored.
    const waited = t.clock.now() - seen;
    await t.run('the file moved', () => ls(t.processed).includes('morning.fit'));
    expect(waited).toBeGreaterThanOrEqual(500); // 200 ms to collect events + 300 ms unchanged
    expect(waited).toBeLessThanOrEqual(1000);
    expect(ls(t.inbox)).toEqual(['failed', 'processed']);
    expect(fs.readFileSync(path.join(t.processed, 'morning.fit'))).toEqual(Buffer.from(bytes));
    expect(t.imported()).toHaveLength(1);
    expect(t.imported()[0]?.file).toBe(path.join(t.inbox, 'morning.fit'));
    const st = w.status();
    expect(st).toMatchObject({ watching: [t.inbox], waitingFor: [], imported: 1, failed: 0 });
    expect(st.lastImportAt).not.toBeNull();
    expect(t.lines.some((l) => l.msg === 'imported' && l.part === 'watch')).toBe(true);
  });

  it('moves a gzip bomb to failed/ with an .error.txt saying it was refused, and imports the next file', async () => {
    const t = setup();
    await t.start();
    // 200 MB of zeros, gzipped to about 200 kB: written in one go so the watcher sees it whole.
    fs.writeFileSync(
      path.join(t.inbox, 'bomb.fit.gz'),
      zlib.gzipSync(Buffer.alloc(200 * 1024 * 1024), { level: 9 }),
    );
    await t.run('the bomb filed', () => ls(t.failed).includes('bomb.fit.gz.error.txt'));
    const note = fs.readFileSync(path.join(t.failed, 'bomb.fit.gz.error.txt'), 'utf8');
    expect(note).toMatch(/^Problem: refused: once decompressed the file is larger than 64 MB/m);
    expect(note).toMatch(/What you can do: kneecheck does not read this/);
    fs.writeFileSync(path.join(t.inbox, 'good.fit'), simpleRun(day(1)));
    await t.run('the good file imported', () => ls(t.processed).includes('good.fit'));
    expect(t.store.runs.count()).toBe(1);
  });

  it('does not hang on a FIFO dropped into the inbox: it is filed in failed/ and the next file imported', async () => {
    const t = setup();
    await t.start();
    execFileSync('mkfifo', [path.join(t.inbox, 'pipe.fit')]);
    await t.run('the FIFO filed', () => ls(t.failed).includes('pipe.fit.error.txt'));
    expect(fs.readFileSync(path.join(t.failed, 'pipe.fit.error.txt'), 'utf8')).toMatch(
      /^Problem: not a regular file: a FIFO \(named pipe\); not read$/m,
    );
    fs.writeFileSync(path.join(t.inbox, 'good.fit'), simpleRun(day(1)));
    await t.run('the good file imported', () => ls(t.processed).includes('good.fit'));
  });

  it('moves broken files to failed/ with an .error.txt, and keeps importing the next ones', async () => {
    const t = setup();
    const w = await t.start();
    const good = simpleRun(day(1));
    fs.writeFileSync(path.join(t.inbox, 'noise.fit'), randomBytes(5000));
    fs.writeFileSync(path.join(t.inbox, 'cut.fit'), simpleRun(day(0)).slice(0, 100));
    fs.writeFileSync(path.join(t.inbox, 'old.gpx'), '<gpx><trk><trkseg><trkpt lat="52.5" lon=');
    await t.run('three failures filed', () => ls(t.failed).length === 6);
    fs.writeFileSync(path.join(t.inbox, 'good.fit'), good);
    await t.run('the good file imported', () => ls(t.processed).includes('good.fit'));
    expect(t.store.runs.count()).toBe(1);
    expect(ls(t.failed)).toEqual([
      'cut.fit',
      'cut.fit.error.txt',
      'noise.fit',
      'noise.fit.error.txt',
      'old.gpx',
      'old.gpx.error.txt',
    ]);
    const noise = fs.readFileSync(path.join(t.failed, 'noise.fit.error.txt'), 'utf8');
    expect(noise).toMatch(/^File: noise\.fit$/m);
    expect(noise).toMatch(/^Time: \d{4}-\d\d-\d\dT/m);
    expect(noise).toMatch(/^Problem: not a FIT file/m);
    expect(noise).toMatch(/What you can do: This is not a FIT file/);
    const cut = fs.readFileSync(path.join(t.failed, 'cut.fit.error.txt'), 'utf8');
    expect(cut).toMatch(/Problem: damaged FIT file.*end of stream/);
    expect(cut).toMatch(/not copied completely\. Copy it again/);
    const gpx = fs.readFileSync(path.join(t.failed, 'old.gpx.error.txt'), 'utf8');
    expect(gpx).toMatch(/^Problem: damaged GPX file: not well-formed XML at line 1/m);
    expect(gpx).toMatch(/not copied completely\. Copy it again/);
    // The bad files are kept byte for byte.
    expect(fs.statSync(path.join(t.failed, 'noise.fit')).size).toBe(5000);
    expect(w.status()).toMatchObject({ imported: 1, failed: 3 });
    expect(
      t.lines.filter((l) => l.msg === 'failed').map((l) => path.basename(String(l.file))),
    ).toEqual(expect.arrayContaining(['noise.fit', 'cut.fit', 'old.gpx']));
  });

  it('imports a file written slowly in chunks once, whole', async () => {
    const t = setup();
    await t.start();
    const bytes = Buffer.from(simpleRun(day(2), { km: 10 }));
    const file = path.join(t.inbox, 'slow.fit');
    const fd = fs.openSync(file, 'w');
    const chunk = Math.ceil(bytes.length / 20);
    for (let i = 0; i < bytes.length; i += chunk) {
      fs.writeSync(fd, bytes.subarray(i, i + chunk));
      // 60 ms pass on the watcher's clock (it wants 300 ms unchanged); real I/O gets a moment.
      t.clock.advance(60);
      await t.clock.waitFor('a moment', () => true);
      await new Promise((r) => setTimeout(r, 5));
    }
    fs.closeSync(fd);
    await t.run('the file moved', () => ls(t.processed).includes('slow.fit'));
    await t.run('the report', () => t.reports.length > 0);
    expect(t.imported()).toHaveLength(1);
    expect(t.imported()[0]?.run.partial).toBe(false);
    expect(t.store.runs.count()).toBe(1);
    expect(t.reports.flatMap((r) => [...r.failed, ...r.duplicates])).toEqual([]);
    expect(fs.readFileSync(path.join(t.processed, 'slow.fit'))).toEqual(bytes);
    expect(ls(t.failed)).toEqual([]);
  });

  it('waits for a copy that stalls mid-file instead of filing a half file away', async () => {
    const t = setup();
    await t.start();
    const runs = [Buffer.from(simpleRun(day(3), { km: 10 })), Buffer.from(simpleRun(day(4)))];
    // A header-only start fails to decode; a half file decodes as a partial run.
    const cuts = [60, Math.floor((runs[1]?.length ?? 0) / 2)];
    for (const [i, bytes] of runs.entries()) {
      const name = `stalled-${i}.fit`;
      const fd = fs.openSync(path.join(t.inbox, name), 'w');
      fs.writeSync(fd, bytes.subarray(0, cuts[i]));
      // The copy stalls for longer than the stability wait: the watcher reads the part.
      await t.run(`the watcher reads the first part of ${name}`, () =>
        t.lines.some(
          (l) => ['failed', 'imported'].includes(String(l.msg)) && String(l.file).endsWith(name),
        ),
      );
      fs.writeSync(fd, bytes.subarray(cuts[i]));
      fs.closeSync(fd);
    }
    await t.run('both moved', () => ls(t.processed).length === 2);
    await t.idle();
    expect(ls(t.failed)).toEqual([]);
    expect(t.store.runs.count()).toBe(2);
    for (const [i, bytes] of runs.entries()) {
      expect(fs.readFileSync(path.join(t.processed, `stalled-${i}.fit`))).toEqual(bytes);
    }
    const reread = t.lines.filter((l) => /importing it again/.test(String(l.msg)));
    expect(reread.map((l) => path.basename(String(l.file))).sort()).toEqual([
      'stalled-0.fit',
      'stalled-1.fit',
    ]);
    // The partial run read first was replaced by the whole one.
    const last = t
      .imported()
      .filter((x) => x.file.endsWith('stalled-1.fit'))
      .at(-1);
    expect(last?.run.partial).toBe(false);
  });

  it('imports the files already in the inbox at start, and leaves other files alone', async () => {
    const t = setup();
    fs.mkdirSync(path.join(t.inbox, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(t.inbox, 'a.fit'), simpleRun(day(0)));
    fs.writeFileSync(path.join(t.inbox, 'sub', 'b.FIT'), simpleRun(day(1)));
    fs.writeFileSync(path.join(t.inbox, 'notes.txt'), 'my knee hurts');
    fs.writeFileSync(path.join(t.inbox, '.hidden.fit'), simpleRun(day(2)));
    fs.writeFileSync(path.join(t.inbox, 'c.fit.part'), simpleRun(day(3)));
    fs.writeFileSync(path.join(t.inbox, 'd.fit.crdownload'), simpleRun(day(4)));
    // An old backup with a name already taken in processed/: the new one gets a suffix.
    fs.mkdirSync(path.join(t.inbox, 'processed'));
    fs.writeFileSync(path.join(t.inbox, 'processed', 'a.fit'), 'an older file');
    await t.start();
    await t.idle();
    expect(t.store.runs.count()).toBe(2);
    expect(ls(t.processed)).toEqual(['a-1.fit', 'a.fit', 'sub']);
    expect(fs.readFileSync(path.join(t.processed, 'a.fit'), 'utf8')).toBe('an older file');
    expect(ls(path.join(t.processed, 'sub'))).toEqual(['b.FIT']);
    expect(ls(t.inbox)).toEqual([
      '.hidden.fit',
      'c.fit.part',
      'd.fit.crdownload',
      'failed',
      'notes.txt',
      'processed',
      'sub',
    ]);
    expect(t.lines.some((l) => String(l.msg).startsWith('not an activity file'))).toBe(true);
  });

  it('imports a folder of files dropped in after start, nested folders too, keeping their paths', async () => {
    const t = setup();
    await t.start();
    // A folder moved in whole (its files were there before the inbox saw it)…
    const staging = path.join(tempDir(), 'export');
    fs.mkdirSync(path.join(staging, '2026', 'oct'), { recursive: true });
    fs.writeFileSync(path.join(staging, 'a.fit'), simpleRun(day(0)));
    fs.writeFileSync(path.join(staging, '2026', 'oct', 'b.fit'), simpleRun(day(1)));
    fs.renameSync(staging, path.join(t.inbox, 'export'));
    await t.run('both imported', () => t.store.runs.count() === 2);
    // …and a folder made first, with files written into it afterwards.
    fs.mkdirSync(path.join(t.inbox, 'later'));
    fs.writeFileSync(path.join(t.inbox, 'later', 'c.fit'), simpleRun(day(2)));
    await t.run('the third imported', () => t.store.runs.count() === 3);
    await t.idle();
    expect(ls(path.join(t.processed, 'export'))).toEqual(['2026', 'a.fit']);
    expect(ls(path.join(t.processed, 'export', '2026', 'oct'))).toEqual(['b.fit']);
    expect(ls(path.join(t.processed, 'later'))).toEqual(['c.fit']);
    expect(ls(t.failed)).toEqual([]);
  });

  it('watches a folder removed and made again under the same name', async () => {
    const t = setup();
    fs.mkdirSync(path.join(t.inbox, 'sub'), { recursive: true });
    await t.start();
    // Both before the watcher looks: it finds a folder under a name it watches, but another one.
    fs.rmdirSync(path.join(t.inbox, 'sub'));
    fs.mkdirSync(path.join(t.inbox, 'sub'));
    fs.writeFileSync(path.join(t.inbox, 'sub', 'a.fit'), simpleRun(day(0)));
    await t.run('the file imported', () => t.store.runs.count() === 1);
    await t.idle();
    expect(ls(path.join(t.processed, 'sub'))).toEqual(['a.fit']);
  });

  it('makes the inbox again when it is removed, and imports what is dropped into it', async () => {
    const t = setup();
    const w = await t.start();
    fs.writeFileSync(path.join(t.inbox, 'a.fit'), simpleRun(day(0)));
    await t.run('the first file filed', () => ls(t.processed).includes('a.fit'));
    fs.rmSync(t.inbox, { recursive: true });
    await t.run('the inbox made again', () => ls(t.inbox).includes('failed'));
    expect(ls(t.inbox)).toEqual(['failed', 'processed']);
    fs.writeFileSync(path.join(t.inbox, 'b.fit'), simpleRun(day(1)));
    await t.run('the second file imported', () => t.store.runs.count() === 2);
    await t.idle();
    expect(ls(t.processed)).toEqual(['b.fit']);
    expect(w.status().watching).toEqual([t.inbox]);
    expect(
      t.lines.some(
        (l) => l.msg === 'inbox folder removed or moved away; watching it anew at its path',
      ),
    ).toBe(true);
  });

  it('watches an inbox moved away and made again by the runner', async () => {
    const t = setup();
    await t.start();
    fs.renameSync(t.inbox, `${t.inbox}-old`);
    fs.mkdirSync(t.inbox);
    fs.writeFileSync(path.join(t.inbox, 'a.fit'), simpleRun(day(0)));
    await t.run('the file imported', () => t.store.runs.count() === 1);
    await t.idle();
    expect(ls(t.processed)).toEqual(['a.fit']);
    // Nothing is read or moved in the folder that was moved away.
    expect(ls(`${t.inbox}-old`)).toEqual(['failed', 'processed']);
  });

  it('counts a file whose run a better record of the same batch replaced as a duplicate', async () => {
    const t = setup();
    const full = simpleRun(day(0), { km: 8 });
    // Read first (names sort), a cut copy is imported as partial; the whole recording then
    // replaces it as the better record of the same run.
    fs.mkdirSync(t.inbox, { recursive: true });
    fs.writeFileSync(path.join(t.inbox, 'a-cut.fit'), full.slice(0, Math.floor(full.length / 2)));
    fs.writeFileSync(path.join(t.inbox, 'b-full.fit'), full);
    const w = await t.start();
    await t.idle();
    expect(t.store.runs.count()).toBe(1);
    expect(w.status()).toMatchObject({ imported: 1, duplicates: 1, failed: 0 });
    expect(ls(t.processed)).toEqual(['a-cut.fit', 'b-full.fit']);
    const said = t.lines.filter((l) => l.msg === 'imported' || l.msg === 'duplicate');
    expect(said.map((l) => [l.msg, path.basename(String(l.file))])).toEqual([
      ['duplicate', 'a-cut.fit'],
      ['imported', 'b-full.fit'],
    ]);
  });

  it('does not follow a link back up the inbox round and round', async () => {
    const t = setup();
    fs.mkdirSync(path.join(t.inbox, 'sub'), { recursive: true });
    fs.symlinkSync(t.inbox, path.join(t.inbox, 'sub', 'loop'));
    fs.writeFileSync(path.join(t.inbox, 'sub', 'a.fit'), simpleRun(day(0)));
    const w = await t.start();
    await t.idle();
    fs.writeFileSync(path.join(t.inbox, 'b.fit'), simpleRun(day(1)));
    await t.run('the new file imported', () => t.store.runs.count() === 2);
    await t.idle();
    expect(w.status()).toMatchObject({ imported: 2, duplicates: 0, failed: 0 });
    expect(ls(t.processed)).toEqual(['b.fit', 'sub']);
  });

  it('files duplicates, other sports and zips in processed/, naming bad zip members', async () => {
    const t = setup();
    const w = await t.start();
    const run = simpleRun(day(5));
    fs.writeFileSync(path.join(t.inbox, 'run.fit'), run);
    await t.run('first moved', () => ls(t.processed).includes('run.fit'));
    fs.writeFileSync(path.join(t.inbox, 'run.fit'), run);
    const ride = synthFit({
      start: day(6),
      sessions: [{ sport: 'cycling', durationS: 600, speedMps: 8 }],
    });
    fs.writeFileSync(path.join(t.inbox, 'ride.fit'), ride);
    fs.writeFileSync(
      path.join(t.inbox, 'export.zip'),
      makeZip({ 'a/good.fit': simpleRun(day(7)), 'a/bad.fit': Buffer.from('garbage!') }),
    );
    fs.writeFileSync(path.join(t.inbox, 'empty.zip'), makeZip({ 'readme.txt': Buffer.from('x') }));
    await t.run('all filed', () => ls(t.processed).length === 5 && ls(t.failed).length === 2);
    await t.idle();
    expect(ls(t.processed)).toEqual([
      'export.zip',
      'export.zip.error.txt',
      'ride.fit',
      'run-1.fit',
      'run.fit',
    ]);
    expect(ls(t.failed)).toEqual(['empty.zip', 'empty.zip.error.txt']);
    expect(fs.readFileSync(path.join(t.processed, 'export.zip.error.txt'), 'utf8')).toMatch(
      /export\.zip!a\/bad\.fit: not a FIT file/,
    );
    expect(fs.readFileSync(path.join(t.failed, 'empty.zip.error.txt'), 'utf8')).toMatch(
      /holds no FIT, GPX or TCX files/,
    );
    expect(t.store.runs.count()).toBe(2);
    expect(w.status()).toMatchObject({ imported: 2, duplicates: 1, skipped: 1, failed: 1 });
    expect(t.reports.flatMap((r) => r.skipped.map((s) => s.reason))).toEqual([
      'not a run (cycling)',
    ]);
  });

  it('imports a burst of 200 files', async () => {
    const t = setup();
    const w = await t.start({ batchSize: 100 });
    const files = Array.from({ length: 200 }, (_, i) => simpleRun(day(i), { km: 1 }));
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const t0 = Date.now();
    files.forEach((b, i) => fs.writeFileSync(path.join(t.inbox, `r${i}.fit`), b));
    // The burst arrives within one settle window: the watcher's clock stands still until it has
    // seen every file (on a loaded machine the file events take longer; the batches must not).
    await vi.waitFor(() => expect(w.status().pending).toBe(200), { timeout: 30_000, interval: 20 });
    await t.run('all stored', () => t.store.runs.count() === 200);
    const ms = Date.now() - t0;
    await t.idle();
    lag.disable();
    console.log(
      `event loop delay during the burst: p99 ${lag.percentile(99) / 1e6} ms, max ${lag.max / 1e6} ms`,
    );
    expect(ls(t.processed)).toHaveLength(200);
    expect(ls(t.failed)).toEqual([]);
    expect(t.imported()).toHaveLength(200);
    // Collected into batches of 100, not 200 imports.
    expect(t.reports.length).toBe(2);
    console.log(`burst of 200: all stored after ${ms} ms in ${t.reports.length} batches`);
  });

  it('finishes the batch in hand on close and leaves the rest for the next start', async () => {
    const t = setup();
    const w = await t.start({ batchSize: 5 });
    for (let i = 0; i < 30; i++)
      fs.writeFileSync(path.join(t.inbox, `r${i}.fit`), simpleRun(day(i)));
    await t.run('a first batch', () => t.reports.length >= 1);
    await w.close();
    const done = t.store.runs.count();
    expect(done).toBe(t.imported().length);
    expect(ls(t.processed)).toHaveLength(done);
    expect(ls(t.inbox).filter((n) => n.endsWith('.fit'))).toHaveLength(30 - done);
    // Restarted, it imports what was left.
    await t.start();
    await t.idle();
    expect(t.store.runs.count()).toBe(30);
    expect(ls(t.processed)).toHaveLength(30);
  });
});

describe('read-only folders', () => {
  const snapshot = (dir: string) =>
    fs
      .readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => {
        const p = path.join(e.parentPath, e.name);
        const st = fs.statSync(p);
        return `${path.relative(dir, p)} ${st.size} ${st.mtimeMs}`;
      })
      .sort();

  it('imports in place, moves and writes nothing, and does not read unchanged files again', async () => {
    const t = setup();
    const src = path.join(tempDir(), 'GARMIN', 'Activity');
    fs.mkdirSync(src, { recursive: true });
    for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(src, `${i}.fit`), simpleRun(day(i)));
    fs.writeFileSync(path.join(src, 'bad.fit'), 'not fit at all');
    const before = snapshot(path.dirname(src));
    const w = await t.start({ sources: [src] });
    await t.idle();
    expect(t.store.runs.count()).toBe(3);
    expect(w.status()).toMatchObject({ watching: [t.inbox, src], imported: 3, failed: 1 });
    fs.writeFileSync(path.join(src, '3.fit'), simpleRun(day(3)));
    await t.run('the new file', () => t.store.runs.count() === 4);
    await t.idle();
    await w.close();
    const expected = [...before, snapshot(path.dirname(src)).find((l) => l.includes('3.fit'))];
    expect(snapshot(path.dirname(src))).toEqual(expected.sort());
    expect(ls(t.processed)).toEqual([]);
    expect(ls(t.failed)).toEqual([]);

    // Started again with the same data dir: nothing is read again.
    const reports = t.reports.length;
    const again = await t.start({ sources: [src] });
    t.clock.advance(5_000); // well past every wait
    await t.idle();
    expect(t.reports.length).toBe(reports);
    expect(again.status()).toMatchObject({ imported: 0, duplicates: 0, failed: 0 });
  });

  it('waits for a folder that is not there yet (a watch not plugged in)', async () => {
    const t = setup();
    const mount = tempDir();
    const src = path.join(mount, 'WATCH', 'GARMIN', 'Activity');
    const w = await t.start({ sources: [src], sourceCheckMs: 600_000 });
    expect(w.status()).toMatchObject({ watching: [t.inbox], waitingFor: [src] });
    // "Plugging in": the folder appears with files already in it.
    const staging = path.join(tempDir(), 'WATCH');
    fs.mkdirSync(path.join(staging, 'GARMIN', 'Activity'), { recursive: true });
    for (let i = 0; i < 2; i++) {
      fs.writeFileSync(path.join(staging, 'GARMIN', 'Activity', `${i}.fit`), simpleRun(day(i)));
    }
    fs.renameSync(staging, path.join(mount, 'WATCH'));
    await t.run('both imported', () => t.store.runs.count() === 2);
    expect(w.status()).toMatchObject({ watching: [t.inbox, src], waitingFor: [] });
    expect(ls(src)).toEqual(['0.fit', '1.fit']);
    await t.idle();
    // Unplugged and plugged in again: the known files are not read again.
    const reports = t.reports.length;
    fs.renameSync(path.join(mount, 'WATCH'), staging);
    await t.run('unplugged', () => w.status().waitingFor.length === 1);
    fs.renameSync(staging, path.join(mount, 'WATCH'));
    await t.run('plugged in', () => w.status().waitingFor.length === 0);
    t.clock.advance(5_000); // well past every wait
    await t.idle();
    expect(t.reports.length).toBe(reports);
    expect(w.status()).toMatchObject({ imported: 2, duplicates: 0 });
  });
});

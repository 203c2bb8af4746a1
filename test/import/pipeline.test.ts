import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { importPaths } from '../../src/import/pipeline.ts';
import { DecodePool } from '../../src/import/pool.ts';
import { importStores, writeFile } from '../support/import-store.ts';
import { simpleRun, synthFit } from '../support/synth-fit.ts';
import { makeZip } from '../support/zip.ts';

const day = (n: number) => new Date(Date.UTC(2026, 9, 1 + n, 6, 0, 0));
const setup = importStores();

const write = writeFile;

describe('importing files, folders and archives', () => {
  it('walks folders recursively and reads .fit.gz and zip exports, nested zips included', async () => {
    const { opts, dir } = setup();
    write(path.join(dir, 'watch/a.fit'), simpleRun(day(0)));
    write(path.join(dir, 'watch/deep/b.fit.gz'), zlib.gzipSync(simpleRun(day(1))));
    write(path.join(dir, 'watch/notes.txt'), Buffer.from('not an activity'));
    const inner = makeZip({ 'e.fit': simpleRun(day(4)) });
    write(
      path.join(dir, 'export.zip'),
      makeZip({
        'activities/c.fit': simpleRun(day(2)),
        'activities/d.fit.gz': zlib.gzipSync(simpleRun(day(3))),
        'activities/ride.fit': synthFit({
          start: day(5),
          sessions: [{ sport: 'cycling', durationS: 600, speedMps: 8 }],
        }),
        'activities/old.gpx': Buffer.from('<gpx/>'),
        'uploads/part1.zip': inner,
      }),
    );
    const report = await importPaths([path.join(dir, 'watch'), path.join(dir, 'export.zip')], opts);
    expect(report.imported.map((i) => i.file)).toEqual([
      path.join(dir, 'watch/a.fit'),
      path.join(dir, 'watch/deep/b.fit.gz'),
      `${path.join(dir, 'export.zip')}!activities/c.fit`,
      `${path.join(dir, 'export.zip')}!activities/d.fit.gz`,
      `${path.join(dir, 'export.zip')}!uploads/part1.zip!e.fit`,
    ]);
    // Archive members come in archive order.
    expect(report.skipped).toEqual([
      {
        file: `${path.join(dir, 'export.zip')}!activities/ride.fit`,
        reason: 'not a run (cycling)',
      },
      {
        file: `${path.join(dir, 'export.zip')}!activities/old.gpx`,
        reason: expect.stringMatching(/^no track points in the file/),
      },
    ]);
    expect(report.failed).toEqual([]);
  });

  it('keeps going when one file is truncated, empty or not FIT, naming each', async () => {
    const { opts, dir, store } = setup();
    const good = simpleRun(day(0));
    for (let i = 0; i < 10; i++) write(path.join(dir, `run${i}.fit`), simpleRun(day(i)));
    write(path.join(dir, 'run4.fit'), Buffer.alloc(0));
    write(path.join(dir, 'run5.fit'), Buffer.from('hello'));
    write(path.join(dir, 'run6.fit'), good.slice(0, 12));
    const report = await importPaths([dir, path.join(dir, 'missing.fit')], { ...opts, workers: 2 });
    expect(report.imported).toHaveLength(7);
    expect(report.failed.map((f) => path.basename(f.file))).toEqual([
      'run4.fit',
      'run5.fit',
      'run6.fit',
      'missing.fit',
    ]);
    expect(report.failed.find((f) => f.file.endsWith('missing.fit'))?.error).toBe(
      'no such file or folder',
    );
    expect(store.runs.count()).toBe(7);
    // The failure is remembered with its reason.
    expect(store.files.count()).toBe(10);
  });

  it('stores identical bytes once, wherever they are found', async () => {
    const { opts, dir, store } = setup();
    const bytes = simpleRun(day(0));
    write(path.join(dir, 'a/run.fit'), bytes);
    write(path.join(dir, 'b/copy.fit'), bytes);
    write(path.join(dir, 'c/copy.fit.gz'), zlib.gzipSync(bytes));
    const report = await importPaths([dir], opts);
    expect(report.imported).toHaveLength(1);
    const id = report.imported[0]?.run.id;
    expect(report.duplicates).toEqual([
      { file: path.join(dir, 'b/copy.fit'), of: id },
      { file: path.join(dir, 'c/copy.fit.gz'), of: id },
    ]);
    expect(store.runs.count()).toBe(1);
  });

  it('merges the same run recorded in two files into one run with both sources', async () => {
    const { opts, dir, store } = setup();
    // The second recording starts 40 s later and measures 2 % less distance.
    write(path.join(dir, '1.fit'), simpleRun(day(0), { km: 5, speedMps: 3 }));
    write(
      path.join(dir, '2.fit'),
      simpleRun(new Date(day(0).getTime() + 40_000), { km: 4.9, speedMps: 3 }),
    );
    // 4 % shorter, from another watch (one watch records one run at a time): a different run.
    write(
      path.join(dir, '3.fit'),
      synthFit({
        start: new Date(day(0).getTime() + 50_000),
        localOffsetMin: 60,
        product: 2000,
        sessions: [{ durationS: Math.round(4790 / 3), speedMps: 3, stepRateSpm: 166 }],
      }),
    );
    const report = await importPaths([dir], opts);
    expect(report.imported.map((i) => path.basename(i.file))).toEqual(['1.fit', '3.fit']);
    expect(report.duplicates).toEqual([
      { file: path.join(dir, '2.fit'), of: report.imported[0]?.run.id },
    ]);
    const merged = store.runs.get(report.imported[0]?.run.id ?? ('' as never));
    expect(merged?.sources).toHaveLength(2);
    expect(store.runs.count()).toBe(2);
  });

  it('lets a complete file replace the partial record of the same run', async () => {
    const { opts, dir, store } = setup();
    const full = simpleRun(day(0), { km: 8 });
    write(path.join(dir, 'a-cut.fit'), full.slice(0, Math.floor(full.length * 0.5)));
    write(path.join(dir, 'b-full.fit'), full);
    const report = await importPaths([dir], opts);
    expect(report.imported.map((i) => path.basename(i.file))).toEqual(['b-full.fit']);
    const fullRun = report.imported[0]?.run;
    expect(fullRun?.partial).toBe(false);
    expect(report.duplicates).toEqual([{ file: path.join(dir, 'a-cut.fit'), of: fullRun?.id }]);
    expect(store.runs.count()).toBe(1);
    expect(store.runs.get(fullRun?.id ?? ('' as never))?.sources).toHaveLength(2);
  });

  it('reports everything as duplicates when the same folder is imported again', async () => {
    const { opts, dir, store } = setup();
    for (let i = 0; i < 12; i++) write(path.join(dir, `${i}.fit`), simpleRun(day(i)));
    const first = await importPaths([dir], opts);
    const again = await importPaths([dir], opts);
    expect(first.imported).toHaveLength(12);
    expect(again.imported).toEqual([]);
    expect(again.duplicates.map((d) => d.of)).toEqual(first.imported.map((i) => i.run.id));
    expect(store.runs.count()).toBe(12);
  });

  it('gives the same results with worker threads and inline', async () => {
    const a = setup();
    const b = setup();
    for (let i = 0; i < 9; i++)
      write(path.join(a.dir, `${i}.fit`), simpleRun(day(i), { spm: 150 + i }));
    const threaded = await importPaths([a.dir], { ...a.opts, workers: 2 });
    const inline = await importPaths([a.dir], { ...b.opts, workers: 0 });
    expect(threaded.imported.map((i) => i.run)).toEqual(inline.imported.map((i) => i.run));
  });
});

describe('a long-lived decoder pool (the daemon keeps one)', () => {
  it('decodes batch after batch on the same threads and leaves them running for the next', async () => {
    const a = setup();
    const b = setup();
    for (let i = 0; i < 20; i++) write(path.join(a.dir, `${i}.fit`), simpleRun(day(i)));
    const files = (from: number) =>
      Array.from({ length: 10 }, (_, i) => path.join(a.dir, `${from + i}.fit`));
    const pool = new DecodePool(2, a.opts.ctx);
    try {
      const first = await importPaths(files(0), { ...a.opts, pool });
      expect(pool.threads).toBe(2);
      const second = await importPaths(files(10), { ...a.opts, pool });
      expect(pool.threads).toBe(2);
      const inline = await importPaths([...files(0), ...files(10)], { ...b.opts, workers: 0 });
      expect([...first.imported, ...second.imported].map((i) => i.run)).toEqual(
        inline.imported.map((i) => i.run),
      );
    } finally {
      await pool.close();
    }
    expect(pool.threads).toBe(0);
  });

  it('starts no thread for a folder of files it already has', async () => {
    const { opts, dir } = setup();
    for (let i = 0; i < 12; i++) write(path.join(dir, `${i}.fit`), simpleRun(day(i)));
    await importPaths([dir], { ...opts, workers: 0 });
    const pool = new DecodePool(2, opts.ctx);
    try {
      const again = await importPaths([dir], { ...opts, pool });
      expect(again.duplicates).toHaveLength(12);
      expect(pool.threads).toBe(0);
    } finally {
      await pool.close();
    }
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPaths } from '../../src/import/pipeline.ts';
import { DecodePool } from '../../src/import/pool.ts';
import { importStores, writeFile } from '../support/import-store.ts';
import { simpleRun } from '../support/synth-fit.ts';

const day = (n: number) => new Date(Date.UTC(2026, 9, 1 + n, 6, 0, 0));
const setup = importStores();

/** Whole seconds: a time utimes sets back exactly. */
const SOME_TIME_S = 1_790_000_000;

/** Writes a run file with an mtime of whole seconds. */
function writeRun(file: string, bytes: Uint8Array): string {
  writeFile(file, bytes);
  fs.utimesSync(file, SOME_TIME_S, SOME_TIME_S);
  return file;
}

/**
 * Overwrites a file with as many bytes of noise, then puts its mtime back: only a reader of its
 * bytes can tell it changed (works as root too, unlike chmod 000).
 */
function swapBytesKeepingSizeAndMtime(file: string): void {
  const st = fs.statSync(file);
  fs.writeFileSync(file, Buffer.alloc(st.size, 0x55));
  fs.utimesSync(file, st.mtimeMs / 1000, st.mtimeMs / 1000);
  expect(fs.statSync(file).mtimeMs).toBe(st.mtimeMs);
}

/** Sets a file's mtime `s` seconds later, its bytes untouched. */
function touchLater(file: string, s: number): void {
  const st = fs.statSync(file);
  fs.utimesSync(file, st.mtimeMs / 1000 + s, st.mtimeMs / 1000 + s);
}

describe('importing a folder again (the memo of path, size and mtime)', () => {
  it('knows unchanged files as duplicates without reading a byte of them', async () => {
    const { opts, dir } = setup();
    for (let i = 0; i < 10; i++) writeRun(path.join(dir, `${i}.fit`), simpleRun(day(i)));
    const first = await importPaths([dir], opts);
    // The bytes are noise now, but size and mtime are as they were: a reader would fail them.
    swapBytesKeepingSizeAndMtime(path.join(dir, '3.fit'));
    const again = await importPaths([dir], opts);
    expect(again.failed).toEqual([]);
    expect(again.duplicates).toEqual(first.imported.map((i) => ({ file: i.file, of: i.run.id })));
  });

  it('reads a file again when its mtime or size changed', async () => {
    const { opts, dir } = setup();
    for (let i = 0; i < 3; i++) writeRun(path.join(dir, `${i}.fit`), simpleRun(day(i)));
    await importPaths([dir], opts);
    const file = path.join(dir, '1.fit');
    swapBytesKeepingSizeAndMtime(file);
    touchLater(file, 60);
    const touched = await importPaths([dir], opts);
    expect(touched.failed).toEqual([
      { file, error: expect.stringMatching(/not a FIT file/) as string },
    ]);
    expect(touched.duplicates.map((d) => path.basename(d.file))).toEqual(['0.fit', '2.fit']);

    // Another run of another size, the mtime put back: the new bytes are read and imported.
    writeRun(file, simpleRun(day(5), { km: 7 }));
    const grown = await importPaths([dir], opts);
    expect(grown.imported.map((i) => i.file)).toEqual([file]);
  });

  it('hashes a touched file again and remembers its new mtime', async () => {
    const { opts, dir } = setup();
    const file = writeRun(path.join(dir, 'a.fit'), simpleRun(day(0)));
    const first = await importPaths([file], opts);
    touchLater(file, 60);
    const touched = await importPaths([file], opts);
    expect(touched.duplicates).toEqual([{ file, of: first.imported[0]?.run.id }]);
    // Read and hashed at its new mtime: known from then on without reading it.
    swapBytesKeepingSizeAndMtime(file);
    const again = await importPaths([file], opts);
    expect(again.duplicates).toEqual([{ file, of: first.imported[0]?.run.id }]);
  });

  it('names the run as it is now when a file earlier in the same import replaced it', async () => {
    const { opts, dir, store } = setup();
    const full = simpleRun(day(0), { km: 8 });
    writeFile(path.join(dir, 'b-cut.fit'), full.slice(0, Math.floor(full.length * 0.5)));
    const first = await importPaths([dir], opts);
    const cutId = first.imported[0]?.run.id;
    // The complete recording sorts first, replaces the partial run and takes its place.
    writeFile(path.join(dir, 'a-full.fit'), full);
    const again = await importPaths([dir], opts);
    const fullId = again.imported[0]?.run.id;
    expect(fullId).not.toBe(cutId);
    expect(again.duplicates).toEqual([{ file: path.join(dir, 'b-cut.fit'), of: fullId }]);
    expect(store.runs.count()).toBe(1);
  });

  it('starts no decoder thread and keeps no file open for a folder it has seen', async () => {
    const { opts, dir } = setup();
    for (let i = 0; i < 12; i++) writeRun(path.join(dir, `${i}.fit`), simpleRun(day(i)));
    await importPaths([dir], { ...opts, workers: 0 });
    for (let i = 0; i < 12; i++) swapBytesKeepingSizeAndMtime(path.join(dir, `${i}.fit`));
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

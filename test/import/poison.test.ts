import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../src/import/pipeline.ts';
import { DecodePool } from '../../src/import/pool.ts';
import { BIN, REPO, tempDir } from '../support/paths.ts';
import { poisonFit } from '../support/poison-fit.ts';
import { simpleRun } from '../support/synth-fit.ts';

/**
 * The poison FIT file of issue 21 (item 2): CRC-valid, 60 MB, 30 M two-byte records. It took
 * `kneecheck import` to 4.8 GB and an out-of-memory abort, with no report for the good file
 * beside it.
 */
const ctx = { timezone: 'Europe/Berlin' };
const BOUND_TEXT = /^refused: more than 1,000,000 records: not a recording of one activity/;
const TIME = '/usr/bin/time';

let dir = '';
let poison = '';
let good = '';

beforeAll(() => {
  dir = tempDir();
  poison = path.join(dir, 'in/poison.fit');
  good = path.join(dir, 'in/good.fit');
  fs.mkdirSync(path.dirname(poison), { recursive: true });
  fs.writeFileSync(poison, poisonFit(30_000_000, 'compressed'));
  fs.writeFileSync(good, simpleRun(new Date(Date.UTC(2026, 9, 1, 6))));
});

describe('the poison FIT file (60 MB, 30 M records)', () => {
  it('is refused naming the bound, beside a good file imported, in under 600 MB', () => {
    expect(fs.statSync(poison).size).toBeGreaterThan(60_000_000);
    // A child process, so that its peak memory is the import's alone.
    const out = execFileSync(
      process.execPath,
      [path.join(REPO, 'test/support/import-child.ts'), tempDir(), path.join(dir, 'in')],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const { report, peakRssMb } = JSON.parse(out) as { report: ImportReport; peakRssMb: number };
    expect(report.failed).toEqual([{ file: poison, error: expect.stringMatching(BOUND_TEXT) }]);
    expect(report.imported.map((i) => i.file)).toEqual([good]);
    console.info(
      `poison FIT (60 MB, 30 M records) + a good file, importPaths: peak RSS ${peakRssMb} MB`,
    );
    expect(peakRssMb).toBeLessThan(600);
  }, 60_000);

  it('kneecheck import --json prints its report with the good file and the poison failed, exit 1', () => {
    const timed = fs.existsSync(TIME);
    const args = ['import', path.join(dir, 'in'), '--json'];
    const r = spawnSync(
      timed ? TIME : process.execPath,
      timed ? ['-v', process.execPath, BIN, ...args] : [BIN, ...args],
      {
        cwd: tempDir('kneecheck-cwd-'),
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          KNEECHECK_TIMEZONE: 'Europe/Berlin',
          KNEECHECK_DATA_DIR: tempDir(),
          KNEECHECK_NOW: '2026-11-25T12:00:00Z',
        },
      },
    );
    expect(r.status, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as ImportReport;
    expect(report.imported.map((i) => i.file)).toEqual([good]);
    expect(report.failed).toEqual([{ file: poison, error: expect.stringMatching(BOUND_TEXT) }]);
    if (timed) {
      const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
      console.info(
        `poison FIT + a good file, kneecheck import: peak RSS ${Math.round(kb / 1024)} MB`,
      );
      expect(kb / 1024).toBeLessThan(600);
    } else console.info(`${TIME} not found: the CLI's peak memory is not measured`);
  }, 60_000);
});

describe('a file too large for a decoder thread (its heap is bounded)', () => {
  it('fails as too large, is never decoded on the main thread, and the next file decodes', async () => {
    // 900,000 records: inside the record bound, far past 16 MB (and 24 MB) of heap once decoded.
    const pool = new DecodePool(1, ctx, { heapMb: 16, largeHeapMb: 24 });
    try {
      const big = { file: 'big.fit', bytes: poisonFit(900_000, 'timed'), sha256: 'b'.repeat(64) };
      expect(await pool.decode(big)).toEqual({
        kind: 'failed',
        error: expect.stringMatching(
          /^could not decode: too large to decode within 24 MB of memory/,
        ),
      });
      const bytes = simpleRun(new Date(Date.UTC(2026, 9, 2, 6)));
      const next = await pool.decode({ file: 'good.fit', bytes, sha256: 'c'.repeat(64) });
      expect(next.kind).toBe('runs');
    } finally {
      await pool.close();
    }
  }, 30_000);

  it('decodes a file too big for a pool thread once more on a thread with a larger heap', async () => {
    const pool = new DecodePool(1, ctx, { heapMb: 8 });
    try {
      // 200,000 records (1.2 MB): more than 8 MB once decoded, far less than the larger heap.
      const file = { file: 'long.fit', bytes: poisonFit(200_000, 'timed'), sha256: 'd'.repeat(64) };
      // What the file decodes to (it has no session and no running hint), not "too large".
      expect(await pool.decode(file)).toEqual({
        kind: 'failed',
        error: 'FIT activity without a session or records',
      });
    } finally {
      await pool.close();
    }
  }, 30_000);
});

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { importPaths } from '../../src/import/pipeline.ts';
import { runCli } from '../support/cli.ts';
import { REPO, tempDir } from '../support/paths.ts';
import { importStores, writeFile } from '../support/import-store.ts';
import { simpleRun } from '../support/synth-fit.ts';
import { makeZip } from '../support/zip.ts';

const day = (n: number) => new Date(Date.UTC(2026, 9, 1 + n, 6, 0, 0));
const setup = importStores();

const write = writeFile;

/** Writes `mb` megabytes of zeros gzipped to `file`, streamed (the test holds 1 MB at a time). */
async function gzipBomb(file: string, mb: number): Promise<string> {
  const zeros = Buffer.alloc(1024 * 1024);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  async function* source() {
    for (let i = 0; i < mb; i++) yield zeros;
  }
  await pipeline(source(), zlib.createGzip({ level: 9 }), fs.createWriteStream(file));
  return file;
}

describe('bounded inputs (DESIGN §8)', () => {
  it('refuses a 300 MB-of-zeros gzip by name, imports the good file beside it, in under 600 MB', async () => {
    const dir = tempDir();
    const bomb = await gzipBomb(path.join(dir, 'in/bomb.fit.gz'), 300);
    const good = write(path.join(dir, 'in/good.fit'), simpleRun(day(0)));
    expect(fs.statSync(bomb).size).toBeLessThan(2 * 1024 * 1024);
    // A child process, so that its peak memory is the import's alone.
    const out = execFileSync(
      process.execPath,
      [path.join(REPO, 'test/support/import-child.ts'), tempDir(), path.join(dir, 'in')],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const { report, peakRssMb } = JSON.parse(out) as {
      report: Awaited<ReturnType<typeof importPaths>>;
      peakRssMb: number;
    };
    expect(report.failed).toEqual([
      {
        file: bomb,
        error: expect.stringMatching(/refused: once decompressed .* larger than 64 MB/),
      },
    ]);
    expect(report.imported.map((i) => i.file)).toEqual([good]);
    console.info(`gzip bomb (300 MB of zeros) import: peak RSS ${peakRssMb} MB`);
    expect(peakRssMb).toBeLessThan(600);
  }, 60_000);

  it('kneecheck import --json names a gzip bomb and a FIFO beside a good file and exits 1', async () => {
    const dir = tempDir();
    const bomb = await gzipBomb(path.join(dir, 'in/bomb.fit.gz'), 100);
    const good = write(path.join(dir, 'in/good.fit'), simpleRun(day(0)));
    execFileSync('mkfifo', [path.join(dir, 'in/pipe.fit')]);
    const r = await runCli(['import', path.join(dir, 'in'), '--json'], {
      KNEECHECK_DATA_DIR: tempDir(),
      KNEECHECK_NOW: '2026-11-25T12:00:00Z',
    });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Awaited<ReturnType<typeof importPaths>>;
    expect(report.imported.map((i) => i.file)).toEqual([good]);
    expect(report.failed.map((f) => f.file)).toEqual([bomb]);
    expect(report.skipped.map((f) => f.file)).toEqual([path.join(dir, 'in/pipe.fit')]);
  }, 30_000);

  it('refuses a FIT file larger than 64 MB without reading it', async () => {
    const { opts, dir } = setup();
    const big = path.join(dir, 'huge.fit');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 65 * 1024 * 1024);
    const report = await importPaths([big], opts);
    expect(report.failed).toEqual([
      {
        file: big,
        error: expect.stringMatching(/^refused: the file \(65 MB\) is larger than 64 MB/),
      },
    ]);
  });

  it('does not hang on a FIFO or a link to /dev/zero in a folder, and imports the good file', async () => {
    const { opts, dir } = setup();
    const good = write(path.join(dir, 'good.fit'), simpleRun(day(0)));
    execFileSync('mkfifo', [path.join(dir, 'pipe.fit')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.fit'));
    const report = await importPaths([dir], opts);
    expect(report.imported.map((i) => i.file)).toEqual([good]);
    expect(report.skipped).toEqual([
      {
        file: path.join(dir, 'pipe.fit'),
        reason: 'not a regular file: a FIFO (named pipe); not read',
      },
      {
        file: path.join(dir, 'zero.fit'),
        reason: 'not a regular file: a link to a device; not read',
      },
    ]);
    expect(report.failed).toEqual([]);
  }, 10_000);

  it('skips a FIFO named on the command line', async () => {
    const { opts, dir } = setup();
    const fifo = path.join(dir, 'pipe.fit');
    execFileSync('mkfifo', [fifo]);
    const report = await importPaths([fifo], opts);
    expect(report.skipped).toEqual([
      { file: fifo, reason: 'not a regular file: a FIFO (named pipe); not read' },
    ]);
  }, 10_000);

  it('follows a linked folder once and reports a link that loops back', async () => {
    const { opts, dir } = setup();
    const other = tempDir();
    const linked = write(path.join(other, 'linked.fit'), simpleRun(day(1)));
    write(path.join(dir, 'a.fit'), simpleRun(day(0)));
    fs.symlinkSync(other, path.join(dir, 'watch'));
    fs.symlinkSync(dir, path.join(dir, 'loop'));
    const report = await importPaths([dir], opts);
    expect(report.imported.map((i) => i.file)).toEqual([
      path.join(dir, 'a.fit'),
      path.join(dir, 'watch', path.basename(linked)),
    ]);
    expect(report.skipped).toEqual([
      {
        file: path.join(dir, 'loop'),
        reason: `a link to a folder already read (${dir}): read once`,
      },
    ]);
  });

  it('skips a zip member with an unsafe name and imports the rest of the archive', async () => {
    const { opts, dir } = setup();
    const zip = write(
      path.join(dir, 'export.zip'),
      makeZip({
        '../../evil.fit': simpleRun(day(0)),
        '/etc/abs.fit': simpleRun(day(1)),
        'activities/good.fit': simpleRun(day(2)),
      }),
    );
    const report = await importPaths([zip], opts);
    expect(report.imported.map((i) => i.file)).toEqual([`${zip}!activities/good.fit`]);
    expect(report.skipped).toEqual([
      {
        file: `${zip}!../../evil.fit`,
        reason: 'unsafe name in the archive (invalid relative path): skipped, not read',
      },
      {
        file: `${zip}!/etc/abs.fit`,
        reason: 'unsafe name in the archive (absolute path): skipped, not read',
      },
    ]);
    expect(report.failed).toEqual([]);
  });

  it('refuses a gzip bomb inside a zip by its member name', async () => {
    const { opts, dir } = setup();
    const gz = fs.readFileSync(await gzipBomb(path.join(dir, 'b.gz'), 100));
    const zip = write(
      path.join(dir, 'export.zip'),
      makeZip({ 'bomb.fit.gz': gz, 'good.fit': simpleRun(day(0)) }),
    );
    const report = await importPaths([zip], opts);
    expect(report.failed).toEqual([
      { file: `${zip}!bomb.fit.gz`, error: expect.stringMatching(/larger than 64 MB/) },
    ]);
    expect(report.imported.map((i) => i.file)).toEqual([`${zip}!good.fit`]);
  });

  it('reads zips nested 4 deep and refuses the fifth level', async () => {
    const { opts, dir } = setup();
    let inner = makeZip({ 'deep.fit': simpleRun(day(5)) });
    // Levels 4, 3, 2 each hold a good run and the next zip in; export.zip is level 1.
    for (let level = 4; level >= 2; level--) {
      inner = makeZip({ [`l${level}.fit`]: simpleRun(day(level)), [`l${level + 1}.zip`]: inner });
    }
    const zip = write(path.join(dir, 'export.zip'), makeZip({ 'l2.zip': inner }));
    const report = await importPaths([zip], opts);
    expect(report.imported.map((i) => i.file)).toEqual([
      `${zip}!l2.zip!l2.fit`,
      `${zip}!l2.zip!l3.zip!l3.fit`,
      `${zip}!l2.zip!l3.zip!l4.zip!l4.fit`,
    ]);
    expect(report.failed).toEqual([
      {
        file: `${zip}!l2.zip!l3.zip!l4.zip!l5.zip`,
        error: 'refused: zip archives nested deeper than 4 levels',
      },
    ]);
  });

  it('refuses the members of an archive that would inflate past 2 GB, naming each', async () => {
    const { opts, dir } = setup();
    const zip = makeZip({
      'good.fit': simpleRun(day(0)),
      'a.zip': makeZip({ 'x.fit': simpleRun(day(1)) }),
      'b.zip': makeZip({ 'y.fit': simpleRun(day(2)) }),
    });
    // Declare 1.5 GB for each inner zip (central directory: uncompressed size at +24).
    declareSize(zip, 'a.zip', 1.5 * 2 ** 30);
    declareSize(zip, 'b.zip', 1.5 * 2 ** 30);
    const file = write(path.join(dir, 'bomb.zip'), zip);
    const report = await importPaths([file], opts);
    expect(report.imported.map((i) => i.file)).toEqual([`${file}!good.fit`]);
    expect(report.failed).toEqual([
      // The first inflates to far less than it declared: yauzl stops it.
      { file: `${file}!a.zip`, error: expect.stringMatching(/unreadable zip archive/) },
      { file: `${file}!b.zip`, error: 'refused: the archive would inflate past 2048 MB' },
    ]);
  });
});

/** Rewrites a member's declared uncompressed size in a zip's central directory. */
function declareSize(zip: Buffer, name: string, size: number): void {
  for (let i = zip.length - 22; i >= 0; i--) {
    if (zip.readUInt32LE(i) !== 0x02014b50) continue;
    const nameLength = zip.readUInt16LE(i + 28);
    if (zip.toString('utf8', i + 46, i + 46 + nameLength) === name) {
      zip.writeUInt32LE(size, i + 24);
      return;
    }
  }
  throw new Error(`no member ${name}`);
}

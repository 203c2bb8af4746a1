import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../src/import/pipeline.ts';
import type { Run } from '../src/model.ts';
import { fillHistory } from '../bench/history.ts';
import { Store } from '../src/store/index.ts';
import { runCli, spawnCli } from './support/cli.ts';
import { FIXTURES_FIT, HAVE_FIXTURES, SKIP_FIXTURES_NOTE, tempDir } from './support/paths.ts';
import { simpleRun } from './support/synth-fit.ts';

const CANONICAL_FIELDS = [
  'id',
  'source',
  'sourceId',
  'sources',
  'startTime',
  'timezone',
  'sport',
  'subSport',
  'distanceM',
  'movingTimeS',
  'elapsedTimeS',
  'avgSpeedMps',
  'avgCadenceSpm',
  'excluded',
  'avgStepLengthM',
  'avgHeartRateBpm',
  'device',
  'gearId',
  'partial',
  'warnings',
].sort();

function runsFolder(n: number, from = Date.UTC(2026, 8, 1, 6)): string {
  const dir = tempDir();
  for (let i = 0; i < n; i++) {
    fs.writeFileSync(
      path.join(dir, `run-${String(i).padStart(3, '0')}.fit`),
      simpleRun(new Date(from + i * 86_400_000)),
    );
  }
  return dir;
}

describe('the kneecheck command line', () => {
  it('has help for every command', async () => {
    for (const args of [['--help'], ['import', '--help'], ['runs', '--help']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage: kneecheck/);
    }
    expect((await runCli(['import', '--help'])).stdout).toMatch(/Exit codes/);
  });

  it('exits 2 on a usage error, naming it', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    const missing = await runCli(['import']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing required argument/);
    const limit = await runCli(['runs', '--limit', 'lots'], { KNEECHECK_DATA_DIR: tempDir() });
    expect(limit.code).toBe(2);
    expect(limit.stderr).toMatch(/--limit: expected a whole number/);
  });

  it('exits 2 on a bad setting, naming the variable and the expected form', async () => {
    const r = await runCli(['runs'], {
      KNEECHECK_DATA_DIR: tempDir(),
      KNEECHECK_UNITS: 'furlongs',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/KNEECHECK_UNITS: expected "metric" or "imperial", got "furlongs"/);
  });

  it('answers advice and report the same however they are asked (the short form skips the full command line)', async () => {
    const data = tempDir();
    const env = { KNEECHECK_DATA_DIR: data, KNEECHECK_NOW: '2026-09-20T18:00:00Z' };
    expect((await runCli(['import', runsFolder(12)], env)).code).toBe(0);
    for (const args of [['advice', '--json'], ['report', '--json'], ['advice'], ['report']]) {
      const short = await runCli(args, env);
      const full = await runCli(['--data-dir', data, ...args], env);
      expect(short.code, args.join(' ')).toBe(0);
      expect(short.stdout.length, args.join(' ')).toBeGreaterThan(0);
      expect(short, args.join(' ')).toEqual(full);
    }
    const bad = await runCli(['advice', '--json'], { ...env, KNEECHECK_UNITS: 'furlongs' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/KNEECHECK_UNITS: expected "metric" or "imperial"/);
  });

  it('reads settings from .env in the working directory, with the environment winning', async () => {
    const fromFile = tempDir();
    const fromEnv = tempDir();
    const folder = runsFolder(1);
    const cwd = tempDir();
    fs.writeFileSync(
      path.join(cwd, '.env'),
      `KNEECHECK_DATA_DIR=${fromFile}\nKNEECHECK_UNITS=imperial\n`,
    );
    const viaFile = await runCli(['import', folder], {}, cwd);
    expect(viaFile.code).toBe(0);
    expect(viaFile.stdout).toMatch(/3\.11 mi/);
    expect(fs.existsSync(path.join(fromFile, 'kneecheck.sqlite'))).toBe(true);
    const viaEnv = await runCli(['import', folder], { KNEECHECK_DATA_DIR: fromEnv }, cwd);
    expect(viaEnv.stdout).toMatch(/Imported 1 run,/);
    expect(fs.existsSync(path.join(fromEnv, 'kneecheck.sqlite'))).toBe(true);
  });

  it('imports a folder, lists the runs with every canonical field, and finds duplicates the second time', async () => {
    const data = tempDir();
    const folder = runsFolder(3);
    fs.writeFileSync(path.join(folder, 'broken.fit'), Buffer.from('not a fit file at all'));
    const first = await runCli(['import', folder, '--json'], { KNEECHECK_DATA_DIR: data });
    expect(first.code).toBe(1);
    const report = JSON.parse(first.stdout) as ImportReport;
    expect(report.imported).toHaveLength(3);
    expect(report.failed).toEqual([
      { file: path.join(folder, 'broken.fit'), error: expect.stringMatching(/not a FIT file/) },
    ]);

    const list = await runCli(['runs', '--json'], { KNEECHECK_DATA_DIR: data });
    expect(list.code).toBe(0);
    const runs = JSON.parse(list.stdout) as Run[];
    expect(runs).toHaveLength(3);
    // Newest first, every field present, unknown values null.
    expect(runs.map((r) => r.startTime)).toEqual(
      [...runs.map((r) => r.startTime)].sort().reverse(),
    );
    for (const r of runs) {
      expect(Object.keys(r).sort()).toEqual(CANONICAL_FIELDS);
      expect(r.gearId).toBeNull();
    }
    const limited = JSON.parse(
      (await runCli(['runs', '--json', '--limit', '1'], { KNEECHECK_DATA_DIR: data })).stdout,
    ) as Run[];
    expect(limited.map((r) => r.id)).toEqual([runs[0]?.id]);
    const since = JSON.parse(
      (await runCli(['runs', '--json', '--since', '2026-09-02'], { KNEECHECK_DATA_DIR: data }))
        .stdout,
    ) as Run[];
    expect(since).toHaveLength(2);

    const again = await runCli(['import', folder, '--json'], { KNEECHECK_DATA_DIR: data });
    const second = JSON.parse(again.stdout) as ImportReport;
    expect(second.imported).toEqual([]);
    expect(second.duplicates.map((d) => d.of).sort()).toEqual(runs.map((r) => r.id).sort());
  });

  it('prints one line per failed file and a summary for humans', async () => {
    const data = tempDir();
    const folder = runsFolder(2);
    fs.writeFileSync(path.join(folder, 'empty.fit'), '');
    const r = await runCli(['import', folder], { KNEECHECK_DATA_DIR: data });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`failed: ${path.join(folder, 'empty.fit')}: empty file (0 bytes)\n`);
    expect(r.stdout).toMatch(/Imported 2 runs, 0 duplicates, 0 skipped, 1 failed\./);
    expect(r.stdout).toMatch(/5\.00 km/);
  });

  it('never stores a run twice when two processes import the same folder at once', async () => {
    const data = tempDir();
    const folder = runsFolder(40);
    const [a, b] = await Promise.all([
      runCli(['import', folder, '--json'], { KNEECHECK_DATA_DIR: data }),
      runCli(['import', folder, '--json'], { KNEECHECK_DATA_DIR: data }),
    ]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const ra = JSON.parse(a.stdout) as ImportReport;
    const rb = JSON.parse(b.stdout) as ImportReport;
    expect(ra.imported.length + rb.imported.length).toBe(40);
    expect(ra.duplicates.length + rb.duplicates.length).toBe(40);
    const runs = JSON.parse(
      (await runCli(['runs', '--json'], { KNEECHECK_DATA_DIR: data })).stdout,
    ) as Run[];
    expect(runs).toHaveLength(40);
  });

  it.skipIf(!HAVE_FIXTURES)(
    `imports the real fixture folder with exit code 1 for its corrupt files${SKIP_FIXTURES_NOTE}`,
    async () => {
      const data = tempDir();
      const first = await runCli(['import', FIXTURES_FIT, '--json'], { KNEECHECK_DATA_DIR: data });
      expect(first.code).toBe(1);
      const report = JSON.parse(first.stdout) as ImportReport;
      expect(report.imported.length).toBeGreaterThanOrEqual(9);
      const second = await runCli(['import', FIXTURES_FIT, '--json'], { KNEECHECK_DATA_DIR: data });
      expect(second.code).toBe(1);
      const again = JSON.parse(second.stdout) as ImportReport;
      expect(again.imported).toEqual([]);
      expect(new Set(again.duplicates.map((d) => d.of))).toEqual(
        new Set(report.imported.map((i) => i.run.id)),
      );
    },
  );
});

describe('kneecheck piped into a reader that stops early', () => {
  it('stops quietly, without a stack trace, when the reader closes (`| head`)', async () => {
    // A year of daily runs: `runs --json` is far more than a pipe holds (64 KB).
    const data = tempDir();
    const store = Store.open(data);
    fillHistory(store, 365);
    store.close();
    const child = spawnCli(['runs', '--json'], { KNEECHECK_DATA_DIR: data });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Like `head -c 10`: read the first chunk, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|at /);
    expect(code).toBe(0);
  });
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.ts';
import { CLI, REPO, tempDir } from './support/paths.ts';
import { simpleRun } from './support/synth-fit.ts';

const BUNDLE = path.join(REPO, 'dist/quick/cli.js');
const ANSWERS = path.join(REPO, 'dist/quick/answers.cjs');

describe('the bundle `kneecheck advice`, `report` and `import` start from (start-up time)', () => {
  it('is built with dist/ and answers exactly as the unbundled CLI', async () => {
    for (const b of [BUNDLE, ANSWERS])
      expect(fs.statSync(b).mtimeMs).toBeGreaterThanOrEqual(fs.statSync(CLI).mtimeMs);
    const data = tempDir();
    const runs = tempDir();
    for (let i = 0; i < 12; i++) {
      const start = new Date(Date.UTC(2026, 9, 1, 6) + i * 2 * 86_400_000);
      fs.writeFileSync(path.join(runs, `r${i}.fit`), simpleRun(start));
    }
    const env = { KNEECHECK_DATA_DIR: data, KNEECHECK_NOW: '2026-10-25T18:00:00Z' };
    // Import itself, on decoder threads (12 files), from the bundle (its worker.js) and from dist/src.
    const imported = [data, tempDir()].map((dir, i) =>
      spawnSync(process.execPath, [i === 0 ? BUNDLE : CLI, 'import', runs, '--json'], {
        env: {
          PATH: process.env.PATH ?? '',
          KNEECHECK_TIMEZONE: 'Europe/Berlin',
          ...env,
          KNEECHECK_DATA_DIR: dir,
        },
        encoding: 'utf8',
      }),
    );
    expect(imported[0]?.status).toBe(0);
    const report = JSON.parse(imported[0]?.stdout ?? '{}') as { imported: unknown[] };
    expect(report.imported).toHaveLength(12);
    expect(imported[0]?.stdout).toBe(imported[1]?.stdout);
    expect((await runCli(['check', '--pain', '3', '--where', 'front'], env)).code).toBe(0);
    for (const args of [['advice', '--json'], ['report', '--json'], ['advice'], ['report']]) {
      const run = (entry: string) =>
        spawnSync(process.execPath, [entry, ...args], {
          env: { PATH: process.env.PATH ?? '', KNEECHECK_TIMEZONE: 'Europe/Berlin', ...env },
          cwd: data,
          encoding: 'utf8',
        });
      const plain = run(CLI);
      for (const bundled of [run(ANSWERS), run(BUNDLE)]) {
        expect(bundled.status, args.join(' ')).toBe(0);
        expect(bundled.stdout.length, args.join(' ')).toBeGreaterThan(100);
        expect(bundled.stdout, args.join(' ')).toBe(plain.stdout);
      }
    }
  });
});

describe('the answers bundle', () => {
  it('answers nothing but advice and report, and says where the rest is', () => {
    const r = spawnSync(process.execPath, [ANSWERS, 'runs', '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/only `advice` and `report`.*bin\/kneecheck\.js runs --json/);
  });
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.ts';
import { CLI, REPO, tempDir } from './support/paths.ts';
import { simpleRun } from './support/synth-fit.ts';

const BUNDLE = path.join(REPO, 'dist/quick/cli.js');

describe('the bundle `kneecheck advice`, `report` and `import` start from (start-up time)', () => {
  it('is built with dist/ and answers exactly as the unbundled CLI', async () => {
    expect(fs.statSync(BUNDLE).mtimeMs).toBeGreaterThanOrEqual(fs.statSync(CLI).mtimeMs);
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
      const bundled = run(BUNDLE);
      const plain = run(CLI);
      expect(bundled.status, args.join(' ')).toBe(0);
      expect(bundled.stdout.length, args.join(' ')).toBeGreaterThan(100);
      expect(bundled.stdout, args.join(' ')).toBe(plain.stdout);
    }
  });
});

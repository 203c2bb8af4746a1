import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.ts';
import { CLI, REPO, tempDir } from './support/paths.ts';
import { simpleRun } from './support/synth-fit.ts';

const BUNDLE = path.join(REPO, 'dist/quick/cli.js');

describe('the bundle `kneecheck advice` and `report` start from (start-up time)', () => {
  it('is built with dist/ and answers exactly as the unbundled CLI', async () => {
    expect(fs.statSync(BUNDLE).mtimeMs).toBeGreaterThanOrEqual(fs.statSync(CLI).mtimeMs);
    const data = tempDir();
    const runs = tempDir();
    for (let i = 0; i < 12; i++) {
      const start = new Date(Date.UTC(2026, 9, 1, 6) + i * 2 * 86_400_000);
      fs.writeFileSync(path.join(runs, `r${i}.fit`), simpleRun(start));
    }
    const env = { KNEECHECK_DATA_DIR: data, KNEECHECK_NOW: '2026-10-25T18:00:00Z' };
    expect((await runCli(['import', runs], env)).code).toBe(0);
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

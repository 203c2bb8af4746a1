import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Run } from '../src/model.ts';
import { runCli } from './support/cli.ts';
import { tempDir } from './support/paths.ts';
import { simpleRun } from './support/synth-fit.ts';

/** A Wednesday in November (CET). */
const NOW = '2026-11-25T12:00:00+01:00';
const FILES = ['runs.csv', 'checks.csv', 'kneecheck.json', 'summary.html'];

/** A data folder with six runs over three weeks and two checks, imported through the CLI. */
async function history(): Promise<{ env: Record<string, string>; runIds: string[] }> {
  const data = tempDir();
  const folder = tempDir();
  const starts = [
    '2026-11-08',
    '2026-11-11',
    '2026-11-15',
    '2026-11-18',
    '2026-11-21',
    '2026-11-24',
  ];
  starts.forEach((d, i) => {
    fs.writeFileSync(
      path.join(folder, `${d}.fit`),
      simpleRun(new Date(`${d}T17:00:00Z`), { km: 3 + i, speedMps: 2.5, spm: 166, offsetMin: 60 }),
    );
  });
  const env = { KNEECHECK_DATA_DIR: data, KNEECHECK_NOW: NOW };
  const imported = await runCli(['import', folder, '--json'], env);
  expect(imported.code, imported.stderr).toBe(0);
  const runs = JSON.parse((await runCli(['runs', '--json'], env)).stdout) as Run[];
  return { env, runIds: runs.map((r) => r.id) };
}

describe('kneecheck export', () => {
  it('writes the four files and lists them with --json', async () => {
    const { env, runIds } = await history();
    const checked = await runCli(
      [
        'check',
        '--pain',
        '4',
        '--where',
        'front',
        '--swelling',
        '--note',
        '=HYPERLINK("http://evil","x")',
        '--json',
      ],
      env,
    );
    expect(checked.code, checked.stderr).toBe(0);
    const out = path.join(tempDir(), 'for physio');
    const res = await runCli(['export', '--out', out, '--json'], env);
    expect(res.code, res.stderr).toBe(0);
    const { files } = JSON.parse(res.stdout) as { files: string[] };
    expect(files).toEqual(FILES.map((f) => path.join(out, f)));
    for (const f of files) expect(fs.statSync(f).size).toBeGreaterThan(100);

    const runsCsv = fs.readFileSync(path.join(out, 'runs.csv'), 'utf8').split('\r\n');
    expect(runsCsv[0]).toMatch(/^id,start_time,timezone,type,distance_m,/);
    expect(runsCsv.filter((l) => l.startsWith('fit:')).map((l) => l.split(',')[0])).toEqual(
      [...runIds].reverse(),
    );
    expect(runsCsv[1]).toContain(",your watch's file,");

    // The note that would be a formula in a spreadsheet is kept as text.
    const checksCsv = fs.readFileSync(path.join(out, 'checks.csv'), 'utf8');
    expect(checksCsv).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(checksCsv).toMatch(/,4,front,yes,no,/);

    const doc = JSON.parse(fs.readFileSync(path.join(out, 'kneecheck.json'), 'utf8')) as {
      format: string;
      version: number;
      runs: Run[];
      checks: unknown[];
      advice: { level: string };
    };
    expect(doc.format).toBe('kneecheck-export');
    expect(doc.version).toBe(1);
    expect(doc.runs).toHaveLength(6);
    expect(doc.checks).toHaveLength(1);
    expect(doc.advice.level).toBe('see-doctor');

    const summary = fs.readFileSync(path.join(out, 'summary.html'), 'utf8');
    for (const section of ['sum-advice', 'sum-load', 'sum-pain', 'sum-flags', 'sum-sources']) {
      expect(summary).toContain(`<section id="${section}">`);
    }
    // Self-contained: its stylesheet inline, nothing fetched from a server.
    expect(summary).toContain('<style>');
    expect(summary).not.toContain('/assets/');
    expect(summary).toContain('swelling');
  });

  it('says where it wrote, in words, and refuses an --out that is a file', async () => {
    const { env } = await history();
    const cwd = tempDir();
    const res = await runCli(['export'], env, cwd);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(
      `Exported to ${path.join(fs.realpathSync(cwd), 'kneecheck-export-2026-11-25')}`,
    );
    expect(res.stdout).toContain('summary.html');
    const file = path.join(cwd, 'a-file');
    fs.writeFileSync(file, 'x');
    const bad = await runCli(['export', '--out', file], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`--out: ${file} is a file, not a folder`);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.ts';
import { tempDir } from './support/paths.ts';
import { simpleRun } from './support/synth-fit.ts';

const NOW = '2026-11-25T12:00:00+01:00';
const FILES = ['runs.csv', 'checks.csv', 'kneecheck.json', 'summary.html'];

/** A data folder with one imported run. */
async function oneRun(): Promise<Record<string, string>> {
  const folder = tempDir();
  fs.writeFileSync(path.join(folder, 'a.fit'), simpleRun(new Date('2026-11-24T17:00:00Z')));
  const env = { KNEECHECK_DATA_DIR: tempDir(), KNEECHECK_NOW: NOW };
  const imported = await runCli(['import', folder], env);
  expect(imported.code, imported.stderr).toBe(0);
  return env;
}

describe('kneecheck export on hostile --out (issue 21 item 10)', () => {
  it('refuses an empty --out and writes nothing into the working folder', async () => {
    const env = await oneRun();
    const cwd = tempDir();
    const res = await runCli(['export', '--out', ''], env, cwd);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--out is empty');
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it('refuses an existing export folder unless --force, and then replaces it whole', async () => {
    const env = await oneRun();
    const out = path.join(tempDir(), 'for-physio');
    expect((await runCli(['export', '--out', out], env)).code).toBe(0);
    fs.writeFileSync(path.join(out, 'runs.csv'), 'old');
    const again = await runCli(['export', '--out', out], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${out} already exists and is not empty; pass --force`);
    expect(fs.readFileSync(path.join(out, 'runs.csv'), 'utf8')).toBe('old');
    const forced = await runCli(['export', '--out', out, '--force'], env);
    expect(forced.code, forced.stderr).toBe(0);
    expect(fs.readFileSync(path.join(out, 'runs.csv'), 'utf8')).toMatch(/^id,start_time/);
    expect(fs.readdirSync(out).sort()).toEqual([...FILES].sort());
    // Nothing temporary is left beside it.
    expect(fs.readdirSync(path.dirname(out))).toEqual(['for-physio']);
  });

  it('never empties a folder of other files, even with --force', async () => {
    const env = await oneRun();
    const out = tempDir();
    fs.writeFileSync(path.join(out, 'taxes-2025.pdf'), 'mine');
    const res = await runCli(['export', '--out', out, '--force'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('taxes-2025.pdf');
    expect(fs.readdirSync(out)).toEqual(['taxes-2025.pdf']);
  });

  it('an empty existing folder is written into; missing parents are made', async () => {
    const env = await oneRun();
    const empty = tempDir();
    expect((await runCli(['export', '--out', empty], env)).code).toBe(0);
    expect(fs.readdirSync(empty).sort()).toEqual([...FILES].sort());
    const deep = path.join(tempDir(), 'a', 'b', 'c');
    expect((await runCli(['export', '--out', deep], env)).code).toBe(0);
    expect(fs.readdirSync(deep)).toHaveLength(4);
  });

  it('a folder that cannot be written (under /proc) is an error naming it, not a hang', async () => {
    const env = await oneRun();
    const out = '/proc/kneecheck-export-test/x';
    const res = await runCli(['export', '--out', out], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(out);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('removes what an export killed between files left behind, and the old export is whole', async () => {
    const env = await oneRun();
    const parent = tempDir();
    const out = path.join(parent, 'export');
    expect((await runCli(['export', '--out', out], env)).code).toBe(0);
    const before = fs.readFileSync(path.join(out, 'kneecheck.json'), 'utf8');
    // What kill -9 after two files leaves: a temporary sibling of a process that is gone.
    const stale = path.join(parent, '.export.tmp-999999999');
    fs.mkdirSync(stale);
    fs.writeFileSync(path.join(stale, 'runs.csv'), 'half');
    expect(fs.readFileSync(path.join(out, 'kneecheck.json'), 'utf8')).toBe(before);
    expect((await runCli(['export', '--out', out, '--force'], env)).code).toBe(0);
    expect(fs.readdirSync(parent)).toEqual(['export']);
  });
});

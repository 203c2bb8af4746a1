import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fillHistory } from '../bench/history.ts';
import { Store } from '../src/store/index.ts';
import { CLI, REPO, tempDir } from './support/paths.ts';

const ANSWERS = path.join(REPO, 'dist/quick/answers.cjs');
const CODE_CACHE = path.join(REPO, 'dist/src/commands/code-cache.js');

// A copy of the answers bundle of this build in a folder of its own under dist/ (its packages are
// found in the project's node_modules), run the way bin/kneecheck.js runs it.
const dir = fs.mkdtempSync(path.join(REPO, 'dist', 'code-cache-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const bundle = path.join(dir, 'answers.cjs');
fs.copyFileSync(ANSWERS, bundle);
const runner = path.join(dir, 'run.mjs');
fs.writeFileSync(
  runner,
  `const { runCached } = await import(${JSON.stringify(CODE_CACHE)});\n` +
    `runCached(${JSON.stringify(bundle)}, 'advice-json');\n`,
);

const data = tempDir();
const store = Store.open(data);
fillHistory(store, 120, new Date('2026-11-25T18:00:00Z'));
store.close();
const env = {
  PATH: process.env.PATH ?? '',
  KNEECHECK_DATA_DIR: data,
  KNEECHECK_TIMEZONE: 'Europe/Berlin',
  KNEECHECK_NOW: '2026-11-25T18:00:00Z',
};
const run = (script: string) => {
  const r = spawnSync(process.execPath, [script, 'advice', '--json'], { env, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
};
const caches = () => {
  const d = path.join(dir, '.v8-cache');
  return fs.existsSync(d) && fs.statSync(d).isDirectory()
    ? fs.readdirSync(d).map((f) => path.join(d, f))
    : [];
};

describe("the answers bundle run with V8's code cache of an earlier run", () => {
  const expected = run(CLI);

  it('writes the cache on the first run and uses it on the next, with the same answer', () => {
    expect(caches()).toEqual([]);
    expect(run(runner)).toBe(expected);
    const [cache, ...more] = caches();
    expect(more).toEqual([]);
    expect(path.basename(cache ?? '')).toContain(process.version);
    const first = fs.statSync(cache ?? '');
    expect(first.size).toBeGreaterThan(10_000);
    expect(run(runner)).toBe(expected);
    // Taken as it was: a cache V8 rejected would have been written anew.
    const second = fs.statSync(cache ?? '');
    expect([second.ino, second.mtimeMs]).toEqual([first.ino, first.mtimeMs]);
  });

  it('replaces a damaged cache, and answers the same meanwhile', () => {
    const [cache] = caches();
    if (!cache) throw new Error('no cache from the first case');
    const good = fs.readFileSync(cache);
    fs.writeFileSync(cache, Buffer.alloc(good.length, 7));
    expect(run(runner)).toBe(expected);
    expect(fs.readFileSync(cache).equals(Buffer.alloc(good.length, 7))).toBe(false);
    fs.writeFileSync(cache, good.subarray(0, good.length >> 1));
    expect(run(runner)).toBe(expected);
    expect(fs.statSync(cache).size).toBeGreaterThan(good.length >> 1);
  });

  it('never runs the code of an older bundle of the same length', () => {
    expect(run(runner)).toBe(expected);
    // The same bundle with one headline changed, letter for letter: V8 alone would take the old
    // cache (it checks the source's length, not its text).
    const source = fs.readFileSync(bundle, 'utf8');
    const from = 'Careful: keep running, but shorter and slower, with a rest day between runs.';
    const to = 'CAREFUL: keep running, but shorter and slower, with a rest day between runs.';
    expect(source).toContain(from);
    fs.writeFileSync(bundle, source.replaceAll(from, to));
    const later = new Date(fs.statSync(bundle).mtimeMs + 5_000);
    fs.utimesSync(bundle, later, later);
    expect(run(runner)).toBe(expected.replace(from, to));
    expect(caches()).toHaveLength(2);
  });

  it('runs without a cache where it cannot write one', () => {
    fs.rmSync(path.join(dir, '.v8-cache'), { recursive: true, force: true });
    fs.writeFileSync(path.join(dir, '.v8-cache'), 'not a folder');
    expect(run(runner)).toBe(expected.replace('Careful:', 'CAREFUL:'));
    expect(fs.readFileSync(path.join(dir, '.v8-cache'), 'utf8')).toBe('not a folder');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

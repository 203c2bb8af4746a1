import { describe, expect, it } from 'vitest';
import { patternOf, type Pattern } from '../../src/pattern/index.ts';
import { Store } from '../../src/store/index.ts';
import { runCli } from '../support/cli.ts';
import { tempDir } from '../support/paths.ts';
import { generate } from './gen.ts';

/** A data folder holding the generated history, saved through the store as an import would. */
function stored(input: ReturnType<typeof generate>): string {
  const data = tempDir('kneecheck-pattern-');
  const store = Store.open(data);
  try {
    store.batch(() => {
      for (const run of input.runs)
        store.saveRun({ run, form: null }, null, input.now.toISOString());
      for (const check of input.checks) {
        const { id, ...answers } = check;
        expect(id).toBeGreaterThan(0);
        store.checks.add(answers);
      }
    });
  } finally {
    store.close();
  }
  return data;
}

// 60 runs, every fourth long (and longer each time, so also a spike); long runs flare 12 of 15.
const history = (answered?: (i: number) => boolean) =>
  generate({
    runs: 60,
    km: (i) => (i % 4 === 3 ? 6 * 1.12 ** ((i - 3) / 4) : 4),
    flare: (i) => (i % 4 === 3 && ((i - 3) / 4) % 5 !== 4) || i % 20 === 1,
    ...(answered ? { answered } : {}),
  });

describe('kneecheck pattern', () => {
  it('prints the pattern of the stored runs and checks, in words and as the JSON of DESIGN §4', async () => {
    const input = history();
    const env = { KNEECHECK_DATA_DIR: stored(input), KNEECHECK_NOW: input.now.toISOString() };
    const json = await runCli(['pattern', '--json'], env);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as Pattern;
    // The same document as computed from the history before it was stored.
    expect(doc).toEqual(JSON.parse(JSON.stringify(patternOf(input))));
    expect(doc.gate).toMatchObject({ answeredRuns: 60, met: true });
    const long = doc.knees[0]?.exposures.find((e) => e.exposure === 'long-run');
    expect(long).toMatchObject({ grade: 'clear-so-far', overlaps: ['spike'] });
    const words = await runCli(['pattern'], env);
    expect(words.code).toBe(0);
    // Wrapped to the terminal: read as one text.
    const text = words.stdout.replace(/\s+/g, ' ');
    expect(text).toMatch(/flared after 12 of 15 long runs .*clear so far/);
    expect(text).toMatch(/Can't tell these apart: long runs and spike runs/);
    expect(text).not.toMatch(/undefined|NaN/);
    expect(Math.max(...words.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
  });

  it('says how far there is to go before the gate, and nothing more', async () => {
    const input = history((i) => i < 15);
    const env = { KNEECHECK_DATA_DIR: stored(input), KNEECHECK_NOW: input.now.toISOString() };
    const words = await runCli(['pattern'], env);
    expect(words.code).toBe(0);
    expect(words.stdout.replace(/\s+/g, ' ')).toMatch(/^Not yet: 15 of 20 runs answered/);
    expect(words.stdout).not.toMatch(/flared after/);
    const doc = JSON.parse((await runCli(['pattern', '--json'], env)).stdout) as Pattern;
    expect(doc).toMatchObject({ gate: { answeredRuns: 15, met: false }, knees: [] });
  });

  it('answers an empty data folder, and lists itself in the help', async () => {
    const r = await runCli(['pattern'], { KNEECHECK_DATA_DIR: tempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(/Not yet: 0 of 20 runs answered, 0 of 5 flares/);
    expect((await runCli(['--help'])).stdout).toMatch(/pattern .*your knee's own pattern/);
    const help = await runCli(['pattern', '--help']);
    expect(help.stdout).toMatch(/Usage: kneecheck pattern/);
    expect(help.stdout).toMatch(/Examples:/);
  });
});

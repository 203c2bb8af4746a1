import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../src/import/pipeline.ts';
import type { Advice, KneeCheck, Report, Run } from '../src/model.ts';
import { runCli } from './support/cli.ts';
import { tempDir } from './support/paths.ts';
import { simpleRun } from './support/synth-fit.ts';

const NOW = '2026-11-25T12:00:00+01:00';

/** A fresh data folder and the environment that points the CLI at it. */
const fresh = () => ({ KNEECHECK_DATA_DIR: tempDir(), KNEECHECK_NOW: NOW });

describe('kneecheck check --knee', () => {
  it('stores a left-knee swelling check before any run, lists it and names the side in the advice', async () => {
    const env = fresh();
    const r = await runCli(
      ['check', '--knee', 'left', '--swelling', '--pain', '2', '--where', 'front', '--json'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const { check, advice } = JSON.parse(r.stdout) as { check: KneeCheck; advice: Advice };
    expect(check).toMatchObject({ knee: 'left', swelling: true, runId: null, via: 'cli' });
    expect(advice.level).toBe('see-doctor');
    expect(advice.suggestions[0]?.message).toContain('swelling in your left knee');

    const listed = await runCli(['checks'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      /^\s+1 .* no run {2}left knee {2}pain 2\/10 {2}front; swelling$/m,
    );
  });

  it('says a check without --knee did not say which knee', async () => {
    const env = fresh();
    const r = await runCli(['check', '--pain', '0'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('knee not said, pain 0/10');
  });

  it('refuses a side other than left, right or both with exit 2, naming the option', async () => {
    const r = await runCli(
      ['check', '--pain', '1', '--where', 'front', '--knee', 'middle'],
      fresh(),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '--knee: expected left, right, both (e.g. --knee left), got "middle"',
    );
  });
});

/** Runs the CLI with --json and parses what it printed (exit 0 expected). */
async function cliJson<T>(args: string[], env: Record<string, string>): Promise<T> {
  const r = await runCli([...args, '--json'], env);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as T;
}

describe('kneecheck check edit', () => {
  it('changes only what is given, takes a yes back with --no-…, and the advice follows', async () => {
    const env = fresh();
    const made = await cliJson<{ check: KneeCheck }>(
      ['check', '--pain', '2', '--where', 'front', '--note', 'stairs'],
      env,
    );
    const worse = await cliJson<{ check: KneeCheck; advice: Advice }>(
      ['check', 'edit', String(made.check.id), '--knee', 'right', '--swelling'],
      env,
    );
    expect(worse.check).toEqual({ ...made.check, knee: 'right', swelling: true });
    expect(worse.advice.level).toBe('see-doctor');
    const back = await cliJson<{ check: KneeCheck; advice: Advice }>(
      ['check', 'edit', String(made.check.id), '--no-swelling', '--note', ''],
      env,
    );
    expect(back.check).toEqual({ ...made.check, knee: 'right', note: null });
    expect(back.advice.level).toBe('caution');
    const listed = await cliJson<KneeCheck[]>(['checks'], env);
    expect(listed).toEqual([back.check]);
  });

  it('exits 2 naming the problem: no such check, a bad pain, pain without a place', async () => {
    const env = fresh();
    await cliJson(['check', '--pain', '0'], env);
    for (const [args, message] of [
      [['check', 'edit', '7', '--pain', '1'], 'check 7: no such check'],
      [['check', 'edit', '1', '--pain', '12'], '--pain: expected a whole number'],
      [['check', 'edit', '1', '--pain', '3'], '--where is required when --pain is above 0'],
      [['check', 'edit', 'one'], 'check edit: expected a check id'],
    ] as const) {
      const r = await runCli([...args], env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });
});

describe('kneecheck run exclude|include', () => {
  it('keeps a run listed but out of every weekly figure, and counts it again', async () => {
    const env = fresh();
    const folder = tempDir();
    for (const [name, start, km] of [
      ['mon', '2026-11-16T17:00:00Z', 4],
      ['tue', '2026-11-24T17:00:00Z', 5],
      ['strap', '2026-11-25T07:00:00Z', 3],
    ] as const) {
      fs.writeFileSync(
        path.join(folder, `${name}.fit`),
        simpleRun(new Date(start), { km, speedMps: 2.5, spm: 166, offsetMin: 60 }),
      );
    }
    const imported = await cliJson<ImportReport>(['import', folder], env);
    const strap = imported.imported.find((i) => i.file.endsWith('strap.fit'))?.run;
    if (!strap) throw new Error('not imported');
    const before = await cliJson<Report>(['report', '--weeks', '2'], env);
    expect(before.weeks[1]).toMatchObject({ runs: 2, distanceM: 8000, longestRunM: 5000 });

    const run = await cliJson<Run>(['run', 'exclude', strap.id, '--reason', 'strap file'], env);
    expect(run).toEqual({ ...strap, excluded: { reason: 'strap file', by: 'user' } });
    const after = await cliJson<Report>(['report', '--weeks', '2'], env);
    expect(after.weeks[1]).toMatchObject({ runs: 1, distanceM: 5000, longestRunM: 5000 });
    expect(after.weeks[0]).toEqual(before.weeks[0]);
    const runs = await cliJson<Run[]>(['runs'], env);
    expect(runs.map((r) => r.id)).toContain(strap.id);
    const text = await runCli(['run', 'exclude', strap.id], env);
    expect(text.stdout).toContain('It stays listed and counts in no metric');

    const included = await cliJson<Run>(['run', 'include', strap.id], env);
    expect(included.excluded).toBeNull();
    expect(await cliJson<Report>(['report', '--weeks', '2'], env)).toEqual(before);

    const missing = await runCli(['run', 'exclude', 'fit:nope'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('run id "fit:nope": no such run');
  });
});

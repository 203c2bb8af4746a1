import { describe, expect, it } from 'vitest';
import type { Advice, KneeCheck } from '../src/model.ts';
import { runCli } from './support/cli.ts';
import { tempDir } from './support/paths.ts';

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

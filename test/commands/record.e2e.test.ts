import { describe, expect, it } from 'vitest';
import type { Advice, KneeCheck } from '../../src/model.ts';
import { runCli } from '../support/cli.ts';
import { tempDir } from '../support/paths.ts';

const NOW = '2026-11-25T11:00:00Z';

describe('correcting the record from the command line', () => {
  it('a red flag stands until deleted as a mistake, comes back with undo, and ends with cleared', async () => {
    const env = { KNEECHECK_DATA_DIR: tempDir(), KNEECHECK_NOW: NOW };
    const flagged = await runCli(
      ['check', '--pain', '1', '--where', 'inside', '--giving-way', '--json'],
      env,
    );
    expect(flagged.code, flagged.stderr).toBe(0);
    const { check } = JSON.parse(flagged.stdout) as { check: KneeCheck };
    const later = { ...env, KNEECHECK_NOW: '2026-11-27T09:00:00Z' };
    // A pain-free check two days later does not end it.
    await runCli(['check', '--no-run', '--pain', '0'], later);
    const level = async (e: Record<string, string>) =>
      (JSON.parse((await runCli(['advice', '--json'], e)).stdout) as Advice).level;
    expect(await level(later)).toBe('see-doctor');

    const deleted = await runCli(['check', 'delete', String(check.id), '--json'], later);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((JSON.parse(deleted.stdout) as { advice: Advice }).advice.level).not.toBe('see-doctor');
    const listed = JSON.parse((await runCli(['checks', '--json'], later)).stdout) as KneeCheck[];
    expect(listed.map((c) => c.id)).not.toContain(check.id);

    const undone = await runCli(['check', 'undo'], later);
    expect(undone.code, undone.stderr).toBe(0);
    expect(undone.stdout).toMatch(new RegExp(`Brought back knee check ${check.id}`));
    expect(await level(later)).toBe('see-doctor');

    const cleared = await runCli(
      ['cleared', '--note', 'physio: fine to run easy', '--json'],
      later,
    );
    expect(cleared.code, cleared.stderr).toBe(0);
    const out = JSON.parse(cleared.stdout) as { clearance: { note: string }; advice: Advice };
    expect(out.clearance.note).toBe('physio: fine to run easy');
    expect(out.advice.level).not.toBe('see-doctor');
  });

  it('names the fix when a check id is wrong or there is nothing to undo', async () => {
    const env = { KNEECHECK_DATA_DIR: tempDir(), KNEECHECK_NOW: NOW };
    const bad = await runCli(['check', 'delete', 'abc'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/kneecheck checks/);
    const missing = await runCli(['check', 'delete', '42'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/check 42: no such check/);
    const nothing = await runCli(['check', 'undo'], env);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to undo/);
  });

  it('prints the sources in full, with links', async () => {
    const r = await runCli(['sources'], { KNEECHECK_DATA_DIR: tempDir() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/RUNSAFE-2025\n {2}Frandsen JSB/);
    expect(r.stdout).toMatch(/https:\/\/doi\.org\/10\.1249\/MSS\.0b013e3181ebedf4/);
  });
});

import { describe, expect, it } from 'vitest';
import { TEXT_LIMITS } from '../src/bounds.ts';
import { runCli } from './support/cli.ts';
import { tempDir } from './support/paths.ts';

describe('the command line keeps the same text bounds as the web (issue 21 item 14)', () => {
  it(`cleared --note takes ${TEXT_LIMITS.note} characters, not 100,000; shoe names ${TEXT_LIMITS.shoeName}`, async () => {
    const env = { KNEECHECK_DATA_DIR: tempDir(), KNEECHECK_NOW: '2026-11-25T12:00:00+01:00' };
    const long = await runCli(['cleared', '--note', 'x'.repeat(100_000)], env);
    expect(long.code).toBe(2);
    expect(long.stderr).toContain(`--note: expected at most ${TEXT_LIMITS.note} characters`);
    const ok = await runCli(['cleared', '--note', 'x'.repeat(TEXT_LIMITS.note), '--json'], env);
    expect(ok.code, ok.stderr).toBe(0);
    const shoe = await runCli(['shoes', 'add', 'y'.repeat(TEXT_LIMITS.shoeName + 1)], env);
    expect(shoe.code).toBe(2);
    expect(shoe.stderr).toContain(`expected at most ${TEXT_LIMITS.shoeName} characters`);
  });
});

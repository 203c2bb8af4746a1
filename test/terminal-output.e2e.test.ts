import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.ts';
import { tempDir } from './support/paths.ts';

const NOW = '2026-11-25T12:00:00+01:00';
const ESC = '\u001b';
/** Sets the terminal title, clears the screen, hides what follows (RTL override), rings a bell. */
const HOSTILE = `blue${ESC}]0;pwned\u0007${ESC}[2J${ESC}[31m\u202Eevil\u0007 Pegasus`;
/** What a terminal must show (and what `--json` must not change). */
const SHOWN = 'blueevil Pegasus';

describe('the CLI prints no escape sequence from outside text (issue 21 item 12)', () => {
  it('notes and shoe names are shown clean; --json keeps them exact', async () => {
    const env = { KNEECHECK_DATA_DIR: tempDir(), KNEECHECK_NOW: NOW };
    const checked = await runCli(['check', '--pain', '0', '--note', HOSTILE], env);
    expect(checked.code, checked.stderr).toBe(0);
    const checks = await runCli(['checks'], env);
    expect(checks.stdout).toContain(`"${SHOWN}"`);
    const json = JSON.parse((await runCli(['checks', '--json'], env)).stdout) as { note: string }[];
    expect(json[0]?.note).toBe(HOSTILE);

    const added = await runCli(['shoes', 'add', HOSTILE], env);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain(SHOWN);
    const shoes = await runCli(['shoes'], env);
    expect(shoes.stdout).toContain(SHOWN);
    const shoesJson = JSON.parse((await runCli(['shoes', '--json'], env)).stdout) as unknown;
    expect(JSON.stringify(shoesJson)).toContain(JSON.stringify(HOSTILE).slice(1, -1));

    for (const out of [checked.stdout, checks.stdout, added.stdout, shoes.stdout]) {
      expect(out).not.toContain(ESC);
      expect(out).not.toContain('\u0007');
      expect(out).not.toContain('\u202E');
    }
  });
});

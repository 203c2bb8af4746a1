import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../src/commands/check.ts';
import type { CommandContext } from '../../src/commands/context.ts';
import { checkEditCommand } from '../../src/commands/correct.ts';
import { checkDeleteCommand, checkUndoCommand, clearedCommand } from '../../src/commands/record.ts';
import type { Config } from '../../src/config/index.ts';
import { silentLogger } from '../../src/log.ts';
import type { Advice } from '../../src/model.ts';
import { ntfyPayload } from '../../src/notify/channels/ntfy.ts';
import { adviceChangedMessage, PHONE_MAX_CHARS, phoneFit } from '../../src/notify/templates.ts';
import { Store } from '../../src/store/index.ts';
import { NOW, SECRETS, testConfig } from '../web/support.ts';

// Issue 23, "What is wrong today" 8: a correction prints one line of what changed and the new
// headline (≤ 3 lines); the phone's advice is ≤ 400 characters with the whole text a tap away.

/** Runs a command in-process and returns what it printed. */
async function printed(
  config: Config,
  run: (ctx: CommandContext) => number | Promise<number>,
): Promise<string> {
  let out = '';
  const stdout = { write: (s: string) => ((out += s), true), isTTY: false, columns: 100 };
  await run({
    config,
    now: () => new Date(Date.parse(NOW)),
    log: silentLogger,
    openStore: () => Store.open(config.dataDir),
    stdout,
    stderr: stdout,
  });
  return out;
}

describe('corrections print what changed and the new headline', () => {
  it('in at most 3 lines for check edit, delete, undo and cleared', async () => {
    const config = testConfig();
    const made = await printed(config, (ctx) =>
      checkCommand(
        undefined,
        { pain: '3', where: 'front', knee: 'left', swelling: true, run: false },
        ctx,
      ),
    );
    const id = /Saved knee check (\d+)/.exec(made)?.[1] ?? '';
    expect(id).not.toBe('');
    // The full advice after a new check names the CLI's commands for the buttons.
    expect(made).toMatch(/kneecheck cleared/);
    const outs = [
      await printed(config, (ctx) => checkEditCommand(id, { pain: '2' }, ctx)),
      await printed(config, (ctx) => checkDeleteCommand(id, {}, ctx)),
      await printed(config, (ctx) => checkUndoCommand({}, ctx)),
      await printed(config, (ctx) => clearedCommand({}, ctx)),
    ];
    for (const out of outs) {
      const lines = out.trimEnd().split('\n');
      expect(lines.length, out).toBeLessThanOrEqual(3);
      expect(lines[1], out).toMatch(/^Advice now: /);
    }
    expect(outs[0]).toMatch(/Corrected knee check .*pain 2\/10/);
  });
});

describe('the phone', () => {
  const long: Advice = {
    level: 'ease-off',
    headline:
      'Ease off: your run yesterday was 322 % longer than your longest of the 30 days before.',
    suggestions: Array.from({ length: 4 }, (_, i) => ({
      code: 'ease-off',
      message: `Sentence one of suggestion ${i}, which is long enough to matter on a small screen. Sentence two of it, with a number (12 km). Sentence three, with more words than a phone shows.`,
      because: [],
    })),
    generatedAt: NOW,
  };

  it('gets advice of at most 400 characters, with the dashboard one tap away', () => {
    const config = testConfig({
      KNEECHECK_PUBLIC_URL: 'https://knees.example.org',
      KNEECHECK_TOKEN: SECRETS.KNEECHECK_TOKEN,
    });
    const before: Advice = { ...long, level: 'ok', headline: 'Keep going.', suggestions: [] };
    const m = adviceChangedMessage(before, null, { config, advice: long } as never);
    const p = ntfyPayload(m, 'topic', { token: null });
    expect(p.message.length).toBeLessThanOrEqual(PHONE_MAX_CHARS);
    expect(p.message).toMatch(/322 % longer/);
    expect(p.click).toBe('https://knees.example.org/');
    expect(p.message).not.toMatch(/`kneecheck|kneecheck (cleared|check|run|advice)\b/);
  });

  it('cuts at lines and sentences, never mid-word, keeping the last line', () => {
    const text = ['Headline.', 'A. B. C. '.repeat(80).trim(), '', 'Not a diagnosis.'].join('\n');
    const fitted = phoneFit(text);
    expect(fitted.length).toBeLessThanOrEqual(PHONE_MAX_CHARS);
    expect(fitted.startsWith('Headline.\n')).toBe(true);
    expect(fitted.endsWith('Not a diagnosis.')).toBe(true);
    expect(fitted).toMatch(/[.] …\n/);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import desktop, {
  desktopCommand,
  desktopUnavailable,
} from '../../../src/notify/channels/desktop.ts';
import { DeliveryError } from '../../../src/notify/types.ts';
import { tempDir } from '../../support/paths.ts';
import { configFrom, rejection, sampleMessage, sendContext } from './fixtures.ts';

/** A folder with an executable `name` that appends its arguments (JSON) to `args.json`. */
function fakeProgram(name: string, exitCode = 0): string {
  const dir = tempDir('kneecheck-bin-');
  const out = path.join(dir, 'args.json');
  fs.writeFileSync(
    path.join(dir, name),
    `#!${process.execPath}\nrequire('fs').appendFileSync(${JSON.stringify(out)}, JSON.stringify(process.argv.slice(2)) + '\\n');\nprocess.exit(${exitCode});\n`,
    { mode: 0o755 },
  );
  return dir;
}

describe('desktop availability', () => {
  it('needs a graphical session on Linux', async () => {
    expect(await desktopUnavailable('linux', { PATH: '/usr/bin' })).toBe(
      'no display (DISPLAY and WAYLAND_DISPLAY unset)',
    );
  });

  it('needs notify-send on PATH on Linux', async () => {
    const empty = tempDir('kneecheck-empty-');
    expect(await desktopUnavailable('linux', { DISPLAY: ':0', PATH: empty })).toBe(
      'notify-send not found on PATH',
    );
  });

  it('is available with a Wayland session and notify-send', async () => {
    const bin = fakeProgram('notify-send');
    expect(
      await desktopUnavailable('linux', { WAYLAND_DISPLAY: 'wayland-0', PATH: bin }),
    ).toBeNull();
  });

  it.runIf(process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)(
    'reports this headless test machine as unavailable',
    async () => {
      expect(await desktop.unavailable()).toMatch(/no display/);
    },
  );

  it('is on only with NOTIFY_DESKTOP=1', () => {
    expect(desktop.enabled(configFrom({ NOTIFY_DESKTOP: '1' }))).toBe(true);
    expect(desktop.enabled(configFrom({ NOTIFY_DESKTOP: '0' }))).toBe(false);
  });
});

describe('desktop commands pass text as arguments, never through a shell', () => {
  const message = sampleMessage({ title: '-t "$(rm -rf ~)"', message: 'a <b> & c; `x`' });

  it('notify-send gets the title and the escaped body after --', () => {
    const cmd = desktopCommand(message, 'linux');
    expect(cmd.file).toBe('notify-send');
    expect(cmd.args.slice(-3)).toEqual([
      '--',
      message.title,
      `a &lt;b&gt; &amp; c; \`x\`\n${message.checkUrl}`,
    ]);
  });

  it('osascript reads title and body from its argument list', () => {
    const cmd = desktopCommand(message, 'darwin');
    expect(cmd.file).toBe('osascript');
    expect(cmd.args.join(' ')).toContain('item 1 of argv');
    expect(cmd.args.slice(-2)).toEqual([message.title, `${message.message}\n${message.checkUrl}`]);
  });

  it('the Windows toast reads them from environment variables', () => {
    const cmd = desktopCommand(message, 'win32');
    expect(cmd.file).toBe('powershell.exe');
    expect(cmd.args.join(' ')).not.toContain(message.title);
    expect(cmd.env.KNEECHECK_NOTIFY_TITLE).toBe(message.title);
  });
});

describe.runIf(process.platform === 'linux')('desktop delivery through notify-send', () => {
  const savedPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  it('shows one notification with the title and the text', async () => {
    const bin = fakeProgram('notify-send');
    process.env.PATH = `${bin}${path.delimiter}${savedPath ?? ''}`;
    const message = sampleMessage({ priority: 'high' });
    await desktop.send(message, sendContext(configFrom({ NOTIFY_DESKTOP: '1' })));
    const calls = fs.readFileSync(path.join(bin, 'args.json'), 'utf8').trim().split('\n');
    expect(calls).toHaveLength(1);
    const args = JSON.parse(calls[0] ?? '[]') as string[];
    expect(args).toContain('--urgency=critical');
    expect(args).toContain(message.title);
  });

  it('a failing notifier is a retryable DeliveryError', async () => {
    process.env.PATH = fakeProgram('notify-send', 3);
    const err = await rejection(
      desktop.send(sampleMessage(), sendContext(configFrom({ NOTIFY_DESKTOP: '1' }))),
    );
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).retryable).toBe(true);
  });

  it('a missing notifier is not retryable', async () => {
    process.env.PATH = tempDir('kneecheck-empty-');
    const err = await rejection(
      desktop.send(sampleMessage(), sendContext(configFrom({ NOTIFY_DESKTOP: '1' }))),
    );
    expect((err as DeliveryError).retryable).toBe(false);
    expect(err.message).toBe('desktop: notify-send not found');
  });
});

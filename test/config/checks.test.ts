import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, secretValues, type Settings } from '../../src/config/index.ts';
import { ConfigError } from '../../src/errors.ts';
import { maskSecrets } from '../../src/log.ts';
import { channelSettings } from '../../src/notify/registry.ts';
import { runCli } from '../support/cli.ts';
import { tempDir } from '../support/paths.ts';

const load = (env: Settings) =>
  loadConfig({ env: { KNEECHECK_DATA_DIR: tempDir(), ...env }, envFile: '/nonexistent/.env' });

function refusal(env: Settings): ConfigError {
  try {
    load(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('cron settings are read as node-cron reads them', () => {
  it.each(['0 8 * * mon-fri', '0 8 * * MON', '*/15 * * * *', '0 0 8 * * *', '30 7 * jan-mar sat'])(
    'accepts %s',
    (cron) => {
      expect(load({ KNEECHECK_FOLLOWUP_CRON: cron }).followupCron).toBe(cron);
      expect(load({ STRAVA_SYNC_CRON: cron }).strava.syncCron).toBe(cron);
    },
  );

  it.each(['61 * * * *', '0 8 * *', '0 8 * * 8', '* * * * * * *', 'every morning'])(
    'refuses %s, naming the variable and the form expected',
    (cron) => {
      for (const name of ['KNEECHECK_FOLLOWUP_CRON', 'STRAVA_SYNC_CRON'] as const) {
        const e = refusal({ [name]: cron });
        expect(e.variable).toBe(name);
        expect(e.message).toContain(`${name}: expected a cron expression (minute hour`);
        expect(e.message).toContain(JSON.stringify(cron));
        expect(e.exitCode).toBe(2);
      }
    },
  );
});

describe('folder settings must be usable folders', () => {
  it('refuses a device, a file, and a path through a file, naming the variable and why', () => {
    const file = path.join(tempDir(), 'notes.txt');
    fs.writeFileSync(file, 'not a folder');
    const cases: [Settings, string, RegExp][] = [
      [{ KNEECHECK_INBOX: '/dev/null' }, 'KNEECHECK_INBOX', /it is a character device/],
      [{ KNEECHECK_INBOX: file }, 'KNEECHECK_INBOX', /it is a file, not a folder/],
      [{ KNEECHECK_DATA_DIR: file }, 'KNEECHECK_DATA_DIR', /it is a file, not a folder/],
      [
        { KNEECHECK_DATA_DIR: `${file}/data` },
        'KNEECHECK_DATA_DIR',
        /cannot be made: .* is a file/,
      ],
      [{ KNEECHECK_INBOX: '/dev/null/inbox' }, 'KNEECHECK_INBOX', /character device/],
      [{ KNEECHECK_WATCH: `${tempDir()},${file}` }, 'KNEECHECK_WATCH', /it is a file/],
      // A folder where nothing can be made, even as root (Node's recursive mkdir spun for ever).
      ...(fs.existsSync('/proc/self')
        ? [
            [
              { KNEECHECK_DATA_DIR: '/proc/kneecheck-data' },
              'KNEECHECK_DATA_DIR',
              /cannot be made: (\/proc takes no new folder|kneecheck may not write to \/proc)/,
            ] as [Settings, string, RegExp],
          ]
        : []),
    ];
    for (const [env, name, why] of cases) {
      const e = refusal(env);
      expect(e.variable).toBe(name);
      expect(e.message).toMatch(new RegExp(`^${name}: expected a folder kneecheck can`));
      expect(e.message).toMatch(why);
    }
  });

  it('accepts folders that do not exist yet (they are made), and an unplugged watch folder', () => {
    const base = tempDir();
    const config = load({
      KNEECHECK_DATA_DIR: path.join(base, 'new', 'data'),
      KNEECHECK_WATCH: path.join(base, 'GARMIN-not-plugged-in'),
    });
    expect(config.inbox).toBe(path.join(base, 'new', 'data', 'inbox'));
  });
});

describe('the ntfy topic is a password', () => {
  const url = 'https://ntfy.example.com/knees-7f3a9c2e';

  it('notify status shows the server, never the topic', () => {
    const ntfy = channelSettings(load({ NOTIFY_NTFY_URL: url })).find((c) => c.name === 'ntfy');
    const setting = ntfy?.settings.find((s) => s.env === 'NOTIFY_NTFY_URL');
    expect(setting).toMatchObject({ value: 'https://ntfy.example.com/****', secret: true });
  });

  it('is masked in log lines and errors, as the URL and alone', () => {
    const secrets = secretValues(load({ NOTIFY_NTFY_URL: url }));
    const line = `ntfy: POST ${url} failed; topic knees-7f3a9c2e`;
    expect(maskSecrets(line, secrets)).toBe('ntfy: POST **** failed; topic ****');
  });

  it('is not echoed when the setting is refused', () => {
    const e = refusal({ NOTIFY_NTFY_URL: 'ntfy.example.com/knees-7f3a9c2e' });
    expect(e.variable).toBe('NOTIFY_NTFY_URL');
    expect(e.message).not.toContain('knees-7f3a9c2e');
  });
});

describe('every command checks the config first', () => {
  it('a bad cron or folder stops runs, report and notify status with exit 2 and no stack trace', async () => {
    const data = tempDir();
    for (const [env, name] of [
      [{ KNEECHECK_FOLLOWUP_CRON: '61 8 * * *' }, 'KNEECHECK_FOLLOWUP_CRON'],
      [{ STRAVA_SYNC_CRON: '*/15 * * *' }, 'STRAVA_SYNC_CRON'],
      [{ KNEECHECK_INBOX: '/dev/null' }, 'KNEECHECK_INBOX'],
    ] as const) {
      for (const args of [['runs'], ['report'], ['notify', 'status']]) {
        const res = await runCli(args, { KNEECHECK_DATA_DIR: data, ...env });
        const what = `${args.join(' ')} with ${name}`;
        expect(res.code, what).toBe(2);
        expect(res.stderr, what).toMatch(new RegExp(`^kneecheck: ${name}: expected `));
        expect(res.stderr, what).not.toMatch(/unexpected error|\n\s+at /);
      }
    }
  });

  it('notify status prints no ntfy topic', async () => {
    const res = await runCli(['notify', 'status'], {
      KNEECHECK_DATA_DIR: tempDir(),
      NOTIFY_NTFY_URL: 'https://ntfy.example.com/knees-7f3a9c2e',
    });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('https://ntfy.example.com/****');
    expect(res.stdout + res.stderr).not.toContain('knees-7f3a9c2e');
  });
});

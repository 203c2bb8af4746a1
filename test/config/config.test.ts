import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  clock,
  defaultDataDir,
  ENV_NAMES,
  loadConfig,
  type Config,
  type Settings,
} from '../../src/config/index.ts';
import { ConfigError } from '../../src/errors.ts';
import { systemZone } from '../../src/load/zone.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kneecheck-config-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let fileNo = 0;
/** Loads the config from exactly these sources: never the real environment or ./.env. */
function load(
  sources: { flags?: Settings; env?: NodeJS.ProcessEnv; dotenv?: string } = {},
): Config {
  const envFile = path.join(tmp, `${++fileNo}.env`);
  if (sources.dotenv !== undefined) fs.writeFileSync(envFile, sources.dotenv);
  return loadConfig({ flags: sources.flags, env: sources.env ?? {}, envFile });
}

/** The ConfigError `fn` throws (fails the test when it throws nothing or something else). */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

describe('loadConfig precedence: flag > environment > .env > default', () => {
  it('takes a flag over the environment and the .env file', () => {
    const config = load({
      flags: { KNEECHECK_PORT: '9001' },
      env: { KNEECHECK_PORT: '9002' },
      dotenv: 'KNEECHECK_PORT=9003\n',
    });
    expect(config.port).toBe(9001);
  });

  it('takes the environment over the .env file', () => {
    const config = load({ env: { KNEECHECK_PORT: '9002' }, dotenv: 'KNEECHECK_PORT=9003\n' });
    expect(config.port).toBe(9002);
  });

  it('takes the .env file over the default', () => {
    expect(load({ dotenv: 'KNEECHECK_PORT=9003\n' }).port).toBe(9003);
  });

  it('uses the default when nothing sets a value', () => {
    expect(load().port).toBe(7117);
  });

  it('treats an empty environment value as unset and falls through to the .env file', () => {
    const config = load({
      env: { KNEECHECK_UNITS: '', KNEECHECK_PORT: '   ' },
      dotenv: 'KNEECHECK_UNITS=imperial\nKNEECHECK_PORT=9003\n',
    });
    expect(config.units).toBe('imperial');
    expect(config.port).toBe(9003);
  });

  it('treats an empty .env value as unset and falls through to the default', () => {
    const config = load({ dotenv: 'KNEECHECK_UNITS=\nKNEECHECK_HOST=\nKNEECHECK_TOKEN=\n' });
    expect(config.units).toBe('metric');
    expect(config.host).toBe('127.0.0.1');
    expect(config.token).toBeNull();
  });

  it('trims spaces around values', () => {
    expect(load({ env: { KNEECHECK_UNITS: ' imperial ' } }).units).toBe('imperial');
  });

  it('ignores a missing .env file', () => {
    const config = loadConfig({ env: {}, envFile: path.join(tmp, 'does-not-exist.env') });
    expect(config.port).toBe(7117);
  });
});

describe('loadConfig defaults', () => {
  it('serves the dashboard on 127.0.0.1:7117 in metric units', () => {
    const config = load();
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(7117);
    expect(config.units).toBe('metric');
  });

  it('keeps the inbox inside the default data folder', () => {
    const config = load();
    expect(config.dataDir).toBe(defaultDataDir({}));
    expect(config.inbox).toBe(path.join(config.dataDir, 'inbox'));
  });

  it.runIf(process.platform === 'linux')('keeps data in ~/.local/share on Linux', () => {
    expect(load().dataDir).toBe(path.join(os.homedir(), '.local', 'share', 'kneecheck'));
  });

  it.runIf(process.platform === 'linux')('follows XDG_DATA_HOME on Linux', () => {
    const config = load({ env: { XDG_DATA_HOME: path.join(tmp, 'xdg') } });
    expect(config.dataDir).toBe(path.join(tmp, 'xdg', 'kneecheck'));
  });

  it('puts the inbox inside a data folder that was set', () => {
    const dataDir = path.join(tmp, 'data');
    const config = load({ env: { KNEECHECK_DATA_DIR: dataDir } });
    expect(config.dataDir).toBe(dataDir);
    expect(config.inbox).toBe(path.join(dataDir, 'inbox'));
  });

  it("uses the system's time zone when none is set", () => {
    expect(load().timezone).toBe(systemZone());
  });

  it('leaves optional integrations off and uses the real clock', () => {
    const config = load();
    expect(config.now).toBeNull();
    expect(config.token).toBeNull();
    expect(config.strava.clientId).toBeNull();
    expect(config.notify.webhookUrl).toBeNull();
    expect(config.notify.desktop).toBe(false);
    expect(config.strava.syncCron).toBe('*/15 * * * *');
  });

  it('splits the watched folders on commas and drops empty entries', () => {
    const a = path.join(tmp, 'watch-a');
    const b = path.join(tmp, 'watch b');
    expect(load({ env: { KNEECHECK_WATCH: `${a}, ${b},,` } }).watch).toEqual([a, b]);
  });
});

describe('loadConfig rejects bad values', () => {
  it.each([
    ['KNEECHECK_PORT', 'abc', /port number from 0 to 65535/],
    ['KNEECHECK_PORT', '65536', /port number from 0 to 65535/],
    ['KNEECHECK_UNITS', 'furlongs', /"metric" or "imperial"/],
    ['KNEECHECK_TIMEZONE', 'Mars/Base', /IANA time zone/],
    ['NOTIFY_WEBHOOK_URL', 'not a url', /http\(s\) URL/],
    ['NOTIFY_WEBHOOK_URL', 'ftp://example.com/hook', /http\(s\) URL/],
    ['KNEECHECK_NOW', 'yesterday', /ISO 8601 date-time/],
    ['STRAVA_SYNC_CRON', 'every minute', /cron expression/],
    ['NOTIFY_EMAIL_TO', 'bob', /email address/],
    ['NOTIFY_DESKTOP', 'yes', /"1" to enable/],
  ] as const)('stops on %s=%s, naming the variable and the expected form', (name, value, form) => {
    const err = configError(() => load({ env: { [name]: value } }));
    expect(err.variable).toBe(name);
    expect(err.message).toContain(name);
    expect(err.message).toMatch(form);
    expect(err.message).toContain(value);
  });

  it('checks values from the .env file too', () => {
    const err = configError(() => load({ dotenv: 'KNEECHECK_UNITS=furlongs\n' }));
    expect(err.message).toMatch(/^KNEECHECK_UNITS: .*"metric" or "imperial"/);
  });

  it('checks values from flags too', () => {
    const err = configError(() => load({ flags: { KNEECHECK_TIMEZONE: 'Europe/Atlantis' } }));
    expect(err.variable).toBe('KNEECHECK_TIMEZONE');
  });

  it('exits as a usage error', () => {
    expect(configError(() => load({ env: { KNEECHECK_PORT: 'abc' } })).exitCode).toBe(2);
  });

  it('does not echo a secret that is too short', () => {
    const err = configError(() => load({ env: { KNEECHECK_TOKEN: 'hunter2' } }));
    expect(err.message).toContain('KNEECHECK_TOKEN');
    expect(err.message).toMatch(/at least 16 characters/);
    expect(err.message).not.toContain('hunter2');
    expect(err.stack ?? '').not.toContain('hunter2');
  });

  it('does not echo an SMTP URL, which holds a password', () => {
    const url = 'http://bob:pa55word-xyz@mail.example.com';
    const err = configError(() => load({ env: { NOTIFY_SMTP_URL: url } }));
    expect(err.message).toContain('NOTIFY_SMTP_URL');
    expect(err.message).not.toContain('pa55word-xyz');
  });
});

describe('loadConfig accepts good values', () => {
  it('reads every kind of value in its normal form', () => {
    const config = load({
      env: {
        KNEECHECK_TIMEZONE: 'America/Denver',
        KNEECHECK_UNITS: 'imperial',
        KNEECHECK_PORT: '8080',
        KNEECHECK_TOKEN: 'a-long-enough-secret',
        KNEECHECK_NOW: '2026-11-25T08:00:00+01:00',
        STRAVA_SYNC_CRON: '0 */2 * * *',
        NOTIFY_WEBHOOK_URL: 'https://hooks.example.com/knee',
        NOTIFY_EMAIL_TO: 'bob@example.com',
        NOTIFY_SMTP_URL: 'smtps://bob:pass@mail.example.com',
        NOTIFY_DESKTOP: '1',
      },
    });
    expect(config).toMatchObject({
      timezone: 'America/Denver',
      units: 'imperial',
      port: 8080,
      token: 'a-long-enough-secret',
      now: '2026-11-25T08:00:00+01:00',
      strava: { syncCron: '0 */2 * * *' },
      notify: {
        webhookUrl: 'https://hooks.example.com/knee',
        emailTo: 'bob@example.com',
        smtpUrl: 'smtps://bob:pass@mail.example.com',
        desktop: true,
      },
    });
  });

  it('fixes the clock at KNEECHECK_NOW', () => {
    const now = clock(load({ env: { KNEECHECK_NOW: '2026-11-25T08:00:00+01:00' } }));
    expect(now().toISOString()).toBe('2026-11-25T07:00:00.000Z');
  });
});

describe('.env.example', () => {
  const text = fs.readFileSync(path.join(REPO, '.env.example'), 'utf8');

  it('lists exactly the settings kneecheck reads', () => {
    const listed = Object.keys(parseEnv(text)).sort();
    expect(listed).toEqual([...ENV_NAMES].sort());
  });

  it('loads unchanged and gives the defaults', () => {
    const config = load({ dotenv: text });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 7117,
      units: 'metric',
      followupCron: '0 8 * * *',
      strava: { syncCron: '*/15 * * * *' },
      notify: { desktop: false },
    });
  });
});

describe('cross-field rules', () => {
  it('refuses a non-loopback host without a token, naming KNEECHECK_TOKEN', () => {
    const e = configError(() => load({ env: { KNEECHECK_HOST: '0.0.0.0' } }));
    expect(e.variable).toBe('KNEECHECK_TOKEN');
    expect(e.message).toMatch(/KNEECHECK_HOST=0\.0\.0\.0/);
  });

  it('accepts a non-loopback host with a token, and loopback hosts without one', () => {
    const token = 'a-long-enough-secret';
    expect(load({ env: { KNEECHECK_HOST: '0.0.0.0', KNEECHECK_TOKEN: token } }).host).toBe(
      '0.0.0.0',
    );
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) {
      expect(load({ env: { KNEECHECK_HOST: host } }).host).toBe(host);
    }
  });

  it('treats an empty flag as unset', () => {
    expect(
      load({ flags: { KNEECHECK_UNITS: '' }, env: { KNEECHECK_UNITS: 'imperial' } }).units,
    ).toBe('imperial');
  });
});

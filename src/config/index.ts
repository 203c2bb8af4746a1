import { createRequire } from 'node:module';
import type * as NodeCron from 'node-cron';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { CHANNEL_SETTINGS, isDemoFolder } from './demo.ts';
import { folderError, folderProblem } from './folders.ts';
import { ConfigError } from '../errors.ts';
import { readEnvFile } from './env-file.ts';
import { isZoneName, systemZone } from '../load/zone.ts';
import { DEFAULT_THRESHOLDS, type Thresholds, type Units } from '../model.ts';
import { parseThresholds, THRESHOLD_RANGES } from './thresholds.ts';

export { ENV_NAMES, type EnvName, type Settings } from './names.ts';
import { ENV_NAMES, type EnvName, type Settings } from './names.ts';

/** Settings whose values are never printed or logged. */
export const SECRET_NAMES: ReadonlySet<EnvName> = new Set<EnvName>([
  'KNEECHECK_TOKEN',
  'STRAVA_CLIENT_SECRET',
  'STRAVA_WEBHOOK_VERIFY_TOKEN',
  'NOTIFY_NTFY_TOKEN',
  'NOTIFY_NTFY_URL',
  'NOTIFY_WEBHOOK_SECRET',
  'NOTIFY_SMTP_URL',
]);

export interface Config {
  dataDir: string;
  inbox: string;
  watch: string[];
  timezone: string;
  units: Units;
  host: string;
  port: number;
  publicUrl: string | null;
  token: string | null;
  /** Fixed clock for tests and replays (KNEECHECK_NOW), else null (the real clock). */
  now: string | null;
  followupCron: string;
  /**
   * Set when the data folder was made by `kneecheck demo`: real notification channels are off
   * (the NOTIFY_* values are dropped), and `ignored` lists the channel settings that were set.
   */
  demo: { ignored: EnvName[] } | null;
  /** Advice thresholds: the defaults of science.md with KNEECHECK_THRESHOLDS applied. */
  thresholds: Thresholds;
  strava: {
    clientId: string | null;
    clientSecret: string | null;
    apiUrl: string;
    oauthUrl: string;
    syncCron: string;
    webhookVerifyToken: string | null;
  };
  intervals: {
    /** Base URL of intervals.icu (INTERVALS_API_URL; tests point it at a fake). */
    apiUrl: string;
    syncCron: string;
  };
  notify: {
    ntfyUrl: string | null;
    ntfyToken: string | null;
    webhookUrl: string | null;
    webhookSecret: string | null;
    emailTo: string | null;
    smtpUrl: string | null;
    desktop: boolean;
  };
}

/** The platform's per-user data folder for kneecheck. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  if (process.platform === 'win32') {
    return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'kneecheck');
  }
  if (process.platform === 'darwin') {
    return path.join(home, 'Library', 'Application Support', 'kneecheck');
  }
  return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'kneecheck');
}

/**
 * A cron expression as node-cron (which schedules it) reads it: names such as `mon-fri` and
 * `jan`, steps, ranges, an optional seconds field. One validator, so a value accepted here is
 * one the daemon can schedule.
 */
const isCron = (s: string): boolean => {
  try {
    // Loaded only when a cron setting is given: most commands start without it (~5 ms).
    const cron = createRequire(import.meta.url)('node-cron') as typeof NodeCron;
    return cron.validate(s);
  } catch {
    return false;
  }
};

/** A test of one setting's text (plain predicates: a schema library costs ~50 ms at start-up). */
type Check = (s: string) => boolean;
const nonEmptyText: Check = (s) => s.length >= 1;
const anyText: Check = () => true;
const oneOf =
  (...values: string[]): Check =>
  (s) =>
    values.includes(s);
const digits: Check = (s) => /^\d+$/.test(s);
const httpUrl: Check = (s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol);
/** The address form zod 4's `z.email()` accepts (what this setting accepted before). */
const EMAIL =
  /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/** One rule per setting: the test and the form a wrong value is told to take. */
const RULES: { [K in EnvName]: { schema: Check; expected: string } } = {
  KNEECHECK_DATA_DIR: { schema: nonEmptyText, expected: 'a folder path' },
  KNEECHECK_INBOX: { schema: nonEmptyText, expected: 'a folder path' },
  KNEECHECK_WATCH: { schema: anyText, expected: 'comma-separated folder paths' },
  KNEECHECK_TIMEZONE: {
    schema: isZoneName,
    expected: 'an IANA time zone such as Europe/Berlin',
  },
  KNEECHECK_UNITS: { schema: oneOf('metric', 'imperial'), expected: '"metric" or "imperial"' },
  KNEECHECK_HOST: { schema: nonEmptyText, expected: 'a host name or IP address' },
  KNEECHECK_PORT: {
    schema: (s) => digits(s) && Number(s) >= 0 && Number(s) <= 65535,
    expected: 'a port number from 0 to 65535',
  },
  KNEECHECK_PUBLIC_URL: { schema: httpUrl, expected: 'an http(s) URL' },
  KNEECHECK_TOKEN: {
    schema: (s) => s.length >= 16,
    expected: 'a secret of at least 16 characters',
  },
  KNEECHECK_NOW: {
    schema: (s) => DateTime.fromISO(s, { setZone: true }).isValid,
    expected: 'an ISO 8601 date-time such as 2026-11-25T08:00:00+01:00',
  },
  KNEECHECK_FOLLOWUP_CRON: {
    schema: isCron,
    expected:
      'a cron expression (minute hour day-of-month month day-of-week, e.g. "0 8 * * *" or "0 8 * * mon-fri")',
  },
  KNEECHECK_THRESHOLDS: {
    schema: (s) => parseThresholds(s) !== null,
    expected: `name=value pairs separated by commas, each name once, from (with its range): ${Object.entries(
      THRESHOLD_RANGES,
    )
      .map(([n, r]) => `${n} ${r.min}–${r.max}`)
      .join(', ')}`,
  },
  STRAVA_CLIENT_ID: {
    schema: digits,
    expected: 'the numeric client id of your Strava API app',
  },
  STRAVA_CLIENT_SECRET: {
    schema: nonEmptyText,
    expected: 'the client secret of your Strava API app',
  },
  STRAVA_API_URL: { schema: httpUrl, expected: 'an http(s) URL' },
  STRAVA_OAUTH_URL: { schema: httpUrl, expected: 'an http(s) URL' },
  STRAVA_SYNC_CRON: {
    schema: isCron,
    expected: 'a cron expression (minute hour day-of-month month day-of-week, e.g. "*/15 * * * *")',
  },
  STRAVA_WEBHOOK_VERIFY_TOKEN: { schema: nonEmptyText, expected: 'a non-empty token' },
  INTERVALS_API_URL: { schema: httpUrl, expected: 'an http(s) URL such as https://intervals.icu' },
  INTERVALS_SYNC_CRON: {
    schema: isCron,
    expected: 'a cron expression (minute hour day-of-month month day-of-week, e.g. "*/15 * * * *")',
  },
  NOTIFY_NTFY_URL: {
    schema: httpUrl,
    expected: 'an ntfy topic URL such as https://ntfy.sh/my-knees',
  },
  NOTIFY_NTFY_TOKEN: { schema: nonEmptyText, expected: 'an ntfy access token' },
  NOTIFY_WEBHOOK_URL: { schema: httpUrl, expected: 'an http(s) URL' },
  NOTIFY_WEBHOOK_SECRET: { schema: nonEmptyText, expected: 'a non-empty secret' },
  NOTIFY_EMAIL_TO: {
    schema: (s) => s.split(',').every((a) => EMAIL.test(a.trim())),
    expected: 'an email address, or several separated by commas',
  },
  NOTIFY_SMTP_URL: {
    schema: (s) => URL.canParse(s) && /^smtps?:$/.test(new URL(s).protocol),
    expected: 'an smtp:// or smtps:// URL such as smtps://user:pass@mail.example.com',
  },
  NOTIFY_DESKTOP: { schema: oneOf('0', '1'), expected: '"1" to enable or "0"' },
};

export interface LoadConfigOptions {
  /** Values from command-line flags (highest precedence). */
  flags?: Settings;
  env?: NodeJS.ProcessEnv;
  /** The `.env` file to read; default `.env` in the working directory (absent is fine). */
  envFile?: string;
}

/**
 * Loads the configuration once: flag > environment > `.env` > default (DESIGN §5). Empty values
 * count as unset. A wrong value throws a {@link ConfigError} naming the variable and the form
 * expected.
 */
export function loadConfig(opts: LoadConfigOptions = {}): Config {
  const env = opts.env ?? process.env;
  const file = readEnvFile(opts.envFile ?? path.resolve('.env'));
  const raw: Settings = {};
  for (const name of ENV_NAMES) {
    const v = nonEmpty(opts.flags?.[name]) ?? nonEmpty(env[name]) ?? nonEmpty(file[name]);
    if (v === undefined) continue;
    const rule = RULES[name];
    if (!rule.schema(v)) {
      throw new ConfigError(name, rule.expected, SECRET_NAMES.has(name) ? undefined : v);
    }
    raw[name] = v;
  }
  // Cross-field rule (DESIGN §5, §8): beyond loopback the web server needs a token.
  const host = raw.KNEECHECK_HOST ?? '127.0.0.1';
  if (!isLoopback(host) && raw.KNEECHECK_TOKEN === undefined) {
    throw new ConfigError(
      'KNEECHECK_TOKEN',
      `a secret of at least 16 characters, because KNEECHECK_HOST=${host} is reachable beyond this machine`,
    );
  }
  // Behind a proxy or tunnel every request arrives from loopback: a public URL needs the token.
  if (raw.KNEECHECK_PUBLIC_URL !== undefined && raw.KNEECHECK_TOKEN === undefined) {
    throw new ConfigError(
      'KNEECHECK_TOKEN',
      'a secret of at least 16 characters, because KNEECHECK_PUBLIC_URL is set: a proxy or tunnel forwarding to kneecheck lets anyone who knows the address in',
    );
  }
  const dataDir = path.resolve(raw.KNEECHECK_DATA_DIR ?? defaultDataDir(env));
  const inbox = path.resolve(raw.KNEECHECK_INBOX ?? path.join(dataDir, 'inbox'));
  const watch = (raw.KNEECHECK_WATCH ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => path.resolve(s));
  // Folders: a file, a device or an unwritable place stops here, named, not in a stack trace.
  for (const [name, dir, mode] of [
    ['KNEECHECK_DATA_DIR', dataDir, 'write'],
    ['KNEECHECK_INBOX', inbox, 'write'],
    ...watch.map((w) => ['KNEECHECK_WATCH', w, 'read'] as const),
  ] as const) {
    const problem = folderProblem(dir, mode);
    if (problem !== null) throw folderError(name, dir, mode, problem);
  }
  // A demo folder never reaches the runner's real channels (issue 12), whatever .env says.
  let demo: Config['demo'] = null;
  if (isDemoFolder(dataDir)) {
    demo = { ignored: CHANNEL_SETTINGS.filter((n) => raw[n] !== undefined) };
    for (const name of [
      ...CHANNEL_SETTINGS,
      'NOTIFY_NTFY_TOKEN',
      'NOTIFY_WEBHOOK_SECRET',
    ] as const) {
      raw[name] = undefined;
    }
  }
  return {
    dataDir,
    inbox,
    watch,
    demo,
    timezone: raw.KNEECHECK_TIMEZONE ?? systemZone(),
    units: (raw.KNEECHECK_UNITS as Config['units'] | undefined) ?? 'metric',
    host,
    port: Number(raw.KNEECHECK_PORT ?? 7117),
    publicUrl: raw.KNEECHECK_PUBLIC_URL ?? null,
    token: raw.KNEECHECK_TOKEN ?? null,
    now: raw.KNEECHECK_NOW ?? null,
    followupCron: raw.KNEECHECK_FOLLOWUP_CRON ?? '0 8 * * *',
    thresholds: parseThresholds(raw.KNEECHECK_THRESHOLDS ?? '') ?? { ...DEFAULT_THRESHOLDS },
    strava: {
      clientId: raw.STRAVA_CLIENT_ID ?? null,
      clientSecret: raw.STRAVA_CLIENT_SECRET ?? null,
      apiUrl: raw.STRAVA_API_URL ?? 'https://www.strava.com/api/v3',
      oauthUrl: raw.STRAVA_OAUTH_URL ?? 'https://www.strava.com/oauth',
      syncCron: raw.STRAVA_SYNC_CRON ?? '*/15 * * * *',
      webhookVerifyToken: raw.STRAVA_WEBHOOK_VERIFY_TOKEN ?? null,
    },
    intervals: {
      apiUrl: raw.INTERVALS_API_URL ?? 'https://intervals.icu',
      syncCron: raw.INTERVALS_SYNC_CRON ?? '*/15 * * * *',
    },
    notify: {
      ntfyUrl: raw.NOTIFY_NTFY_URL ?? null,
      ntfyToken: raw.NOTIFY_NTFY_TOKEN ?? null,
      webhookUrl: raw.NOTIFY_WEBHOOK_URL ?? null,
      webhookSecret: raw.NOTIFY_WEBHOOK_SECRET ?? null,
      emailTo: raw.NOTIFY_EMAIL_TO ?? null,
      smtpUrl: raw.NOTIFY_SMTP_URL ?? null,
      desktop: raw.NOTIFY_DESKTOP === '1',
    },
  };
}

/** The password of a `scheme://user:pass@host` URL, as written and decoded. */
function urlPasswords(value: string | null): string[] {
  if (value === null || !URL.canParse(value)) return [];
  const { password } = new URL(value);
  if (password === '') return [];
  try {
    return [password, decodeURIComponent(password)];
  } catch {
    return [password];
  }
}

/**
 * An ntfy topic URL's secret parts for masking: the topic is a password (whoever knows it reads
 * and sends the prompts), so the URL itself and its topic, as written and decoded.
 */
export function ntfyTopicSecrets(topicUrl: string | null): string[] {
  if (topicUrl === null || !URL.canParse(topicUrl)) return [];
  const topic = new URL(topicUrl).pathname.split('/').filter(Boolean).pop();
  if (topic === undefined) return [topicUrl];
  let decoded = topic;
  try {
    decoded = decodeURIComponent(topic);
  } catch {
    // kept as written
  }
  return [topicUrl, topic, decoded];
}

/**
 * The values of every secret setting, and the passwords inside URL settings, for masking them in
 * logs, stored errors and output (DESIGN §5: secrets are shown as `****`).
 */
export function secretValues(config: Config): string[] {
  const { notify, strava } = config;
  return [
    config.token,
    strava.clientSecret,
    strava.webhookVerifyToken,
    notify.ntfyToken,
    notify.webhookSecret,
    notify.smtpUrl,
    ...urlPasswords(notify.smtpUrl),
    ...urlPasswords(notify.ntfyUrl),
    ...ntfyTopicSecrets(notify.ntfyUrl),
    ...urlPasswords(notify.webhookUrl),
  ].filter((v): v is string => v !== null);
}

/** STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET are set. */
export const stravaConfigured = (config: Config): boolean =>
  config.strava.clientId !== null && config.strava.clientSecret !== null;

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export function isLoopback(host: string): boolean {
  return (
    host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host)
  );
}

const nonEmpty = (v: string | undefined): string | undefined =>
  v === undefined || v.trim() === '' ? undefined : v.trim();

/** The clock: KNEECHECK_NOW when set, else the real time. */
export function clock(config: Pick<Config, 'now'>): () => Date {
  const fixed = config.now === null ? null : new Date(DateTime.fromISO(config.now).toMillis());
  return () => fixed ?? new Date();
}

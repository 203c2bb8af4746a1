import type { Output } from './stdio.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

/** One structured logger for the daemon and its parts (DESIGN §8: secrets masked). */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. `{ part: 'watch' }`). */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  stream?: Output;
  /** JSON lines (default: when the stream is not a terminal). */
  json?: boolean;
  /** Values that must never appear in a line: each is replaced by `****`. */
  secrets?: readonly (string | null | undefined)[];
  /** Lines below this level are dropped (default: info). */
  level?: LogLevel;
  /** The clock for the `time` field. */
  now?: () => Date;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Replaces every occurrence of each secret (and its URL-encoded form) with `****`. */
export function maskSecrets(text: string, secrets: readonly (string | null | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    // Looked for before anything is split: most lines (one per file imported) hold no secret.
    const encoded = encodeURIComponent(s);
    if (out.includes(s)) out = out.split(s).join('****');
    if (encoded !== s && out.includes(encoded)) out = out.split(encoded).join('****');
  }
  return out;
}

const fieldText = (v: unknown): string =>
  typeof v === 'string' ? (/[\s"=]/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v);

export function createLogger(opts: LoggerOptions = {}, base: LogFields = {}): Logger {
  const stream = opts.stream ?? process.stderr;
  const json = opts.json ?? !stream.isTTY;
  const min = ORDER[opts.level ?? 'info'];
  const secrets = opts.secrets ?? [];
  const now = opts.now ?? (() => new Date());
  const write = (level: LogLevel, msg: string, fields: LogFields = {}): void => {
    if (ORDER[level] < min) return;
    const all = { ...base, ...fields };
    for (const [k, v] of Object.entries(all)) if (v instanceof Error) all[k] = v.message;
    const line = json
      ? JSON.stringify({ time: now().toISOString(), level, msg, ...all })
      : `${now().toISOString().slice(11, 19)} ${level.padEnd(5)} ${msg}` +
        Object.entries(all)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => ` ${k}=${fieldText(v)}`)
          .join('');
    stream.write(`${maskSecrets(line, secrets)}\n`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger(opts, { ...base, ...fields }),
  };
}

/** A logger that drops everything (for commands that report through their own output). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};

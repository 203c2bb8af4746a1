import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config, type Settings } from '../../../src/config/index.ts';
import { createLogger, type Logger } from '../../../src/log.ts';
import type { RunId } from '../../../src/model.ts';
import type { Message, SendContext } from '../../../src/notify/types.ts';
import { tempDir } from '../../support/paths.ts';

/** Secrets the channel tests configure; none may ever show up in an error or a log line. */
export const SECRETS = {
  kneecheckToken: 'kneecheck-token-0123456789abcdef',
  ntfyToken: 'tk_ntfy0secret0token0value',
  webhookSecret: 'whsec-0123456789-signing',
  webhookPassword: 'hook-pass-w0rd-secret',
  smtpPassword: 'smtp-p4ss/w0rd+secret',
} as const;

const dir = tempDir('kneecheck-channels-');

/** A config from exactly these settings: never the real environment or ./.env. */
export function configFrom(env: Settings): Config {
  return loadConfig({
    env: { KNEECHECK_DATA_DIR: dir, KNEECHECK_TIMEZONE: 'Europe/Berlin', ...env },
    envFile: path.join(dir, 'absent.env'),
  });
}

/** A knee-check prompt as the templates would render it (override any field). */
export function sampleMessage(overrides: Partial<Message> = {}): Message {
  return {
    type: 'knee-check',
    runId: 'fit:1a2b3c4d5e6f' as RunId,
    title: 'How do your knees feel after 5.2 km?',
    message: 'Run on Tue 24 Nov 07:30: 5.20 km in 31:12. Tap an answer or open the form.',
    html: '<p>Run on Tue 24 Nov 07:30: <b>5.20 km</b> in 31:12.</p>',
    checkUrl: 'http://127.0.0.1:7117/runs/fit%3A1a2b3c4d5e6f#check',
    run: null,
    advice: null,
    priority: 'default',
    tags: ['knee', 'running_shirt_with_sash'],
    actions: [
      { label: 'No pain', pain: 0 },
      { label: 'Some pain', pain: 4 },
    ],
    apiUrl: 'http://127.0.0.1:7117',
    ...overrides,
  };
}

/** A logger that keeps its JSON lines, for asserting on what was logged. */
export function recordingLogger(): { log: Logger; lines: () => Record<string, unknown>[] } {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      out.push(chunk.toString('utf8'));
      done();
    },
  });
  return {
    log: createLogger({ stream, json: true, level: 'debug' }),
    lines: () =>
      out
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** A send context; `timeoutMs` bounds the send like the outbox does. */
export function sendContext(
  config: Config,
  opts: { timeoutMs?: number; log?: Logger } = {},
): SendContext {
  return {
    config,
    log: opts.log ?? recordingLogger().log,
    signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000),
  };
}

/** The error `promise` rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`rejected with a non-Error: ${String(e)}`, { cause: e });
  }
  throw new Error('expected the send to fail, it succeeded');
}

/**
 * The contract every notification channel keeps (DESIGN §9.2): each channel of the registry runs
 * the same cases against a real local receiver on 127.0.0.1.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV_NAMES, SECRET_NAMES, type Config, type Settings } from '../../../src/config/index.ts';
import type { Logger } from '../../../src/log.ts';
import { CHANNELS } from '../../../src/notify/registry.ts';
import {
  CHANNEL_NAMES,
  DeliveryError,
  type Channel,
  type ChannelName,
} from '../../../src/notify/types.ts';
import {
  closedPort,
  startHttpReceiver,
  startSmtpReceiver,
  type HttpReceiver,
  type SmtpReceiver,
} from '../../support/receivers.ts';
import {
  configFrom,
  rejection,
  recordingLogger,
  sampleMessage,
  SECRETS,
  sendContext,
} from './fixtures.ts';

/** What a channel's receiver got, reduced to what every channel must carry. */
interface Delivered {
  title: string;
  text: string;
}

/** A channel wired to a live receiver, and settings that point it at one that is down. */
interface Rig {
  config: Config;
  downConfig: Config | null;
  /** The logger sends must use (the console channel delivers to it). */
  log?: Logger;
  delivered(): Delivered[];
  close(): Promise<void>;
}

/** Linux or a BSD without a graphical session (macOS and Windows always have a desktop). */
const HEADLESS =
  process.platform !== 'darwin' &&
  process.platform !== 'win32' &&
  !process.env.DISPLAY &&
  !process.env.WAYLAND_DISPLAY;

const httpJson = (r: HttpReceiver): Delivered[] =>
  r.requests.map((q) => {
    const body = JSON.parse(q.body) as { title: string; message: string };
    return { title: body.title, text: body.message };
  });

/** How each channel is tested: a rig, or the reason it cannot deliver here. */
const RIGS: Record<ChannelName, (() => Promise<Rig>) | { skip: string }> = {
  async console() {
    const rec = recordingLogger();
    return {
      config: configFrom({}),
      downConfig: null,
      log: rec.log,
      delivered: () =>
        rec
          .lines()
          .filter((l) => l.channel === 'console')
          .map((l) => ({ title: String(l.msg), text: String(l.text) })),
      close: () => Promise.resolve(),
    };
  },
  async ntfy() {
    const receiver = await startHttpReceiver();
    const down = await closedPort();
    const env = (base: string): Settings => ({
      NOTIFY_NTFY_URL: `${base}/kneecheck`,
      NOTIFY_NTFY_TOKEN: SECRETS.ntfyToken,
      KNEECHECK_TOKEN: SECRETS.kneecheckToken,
    });
    return {
      config: configFrom(env(receiver.url)),
      downConfig: configFrom(env(`http://127.0.0.1:${down}`)),
      delivered: () => httpJson(receiver),
      close: () => receiver.close(),
    };
  },
  async webhook() {
    const receiver = await startHttpReceiver();
    const down = await closedPort();
    const env = (port: number): Settings => ({
      NOTIFY_WEBHOOK_URL: `http://hook:${SECRETS.webhookPassword}@127.0.0.1:${port}/hook`,
      NOTIFY_WEBHOOK_SECRET: SECRETS.webhookSecret,
    });
    return {
      config: configFrom(env(receiver.port)),
      downConfig: configFrom(env(down)),
      delivered: () => httpJson(receiver),
      close: () => receiver.close(),
    };
  },
  async email() {
    const receiver: SmtpReceiver = await startSmtpReceiver();
    const down = await closedPort();
    const env = (port: number): Settings => ({
      NOTIFY_SMTP_URL: `smtp://runner%40example.org:${encodeURIComponent(SECRETS.smtpPassword)}@127.0.0.1:${port}`,
      NOTIFY_EMAIL_TO: 'runner@example.org',
    });
    return {
      config: configFrom(env(receiver.port)),
      downConfig: configFrom(env(down)),
      delivered: () => receiver.messages.map((m) => ({ title: m.subject, text: m.text ?? '' })),
      close: () => receiver.close(),
    };
  },
  desktop: HEADLESS
    ? { skip: 'no graphical session on this machine (DISPLAY and WAYLAND_DISPLAY unset)' }
    : { skip: 'would pop up a real notification on this desktop' },
};

const ALL_SECRETS = [...Object.values(SECRETS), encodeURIComponent(SECRETS.smtpPassword)];

it('the registry lists every channel name exactly once', () => {
  expect(CHANNELS.map((c) => c.name).sort()).toEqual([...CHANNEL_NAMES].sort());
});

describe.each(CHANNELS.map((c) => [c.name, c] as const))('channel %s', (name, channel: Channel) => {
  const rigFactory = RIGS[name];

  it('declares only settings that exist, with every known secret marked', () => {
    const config = configFrom({
      NOTIFY_NTFY_URL: 'https://ntfy.example.com/knees',
      NOTIFY_NTFY_TOKEN: SECRETS.ntfyToken,
      NOTIFY_WEBHOOK_URL: 'https://hooks.example.com/k',
      NOTIFY_WEBHOOK_SECRET: SECRETS.webhookSecret,
      NOTIFY_SMTP_URL: 'smtps://me:pw-secret@mail.example.com',
      NOTIFY_EMAIL_TO: 'me@example.com',
      NOTIFY_DESKTOP: '1',
      KNEECHECK_TOKEN: SECRETS.kneecheckToken,
    });
    for (const s of channel.settings(config)) {
      expect(ENV_NAMES).toContain(s.env);
      if (SECRET_NAMES.has(s.env)) expect(s.secret, s.env).toBe(true);
    }
  });

  it(`is ${name === 'console' ? 'on' : 'off'} with an empty configuration`, () => {
    expect(channel.enabled(configFrom({}))).toBe(name === 'console');
  });

  if ('skip' in rigFactory) {
    it.runIf(HEADLESS)('reports itself unavailable on this headless machine', async () => {
      expect(await channel.unavailable?.(configFrom({ NOTIFY_DESKTOP: '1' }))).toMatch(/display/);
    });
    it.skip(`delivers a message (skipped: ${rigFactory.skip})`, () => {});
    return;
  }

  let rig: Rig;
  beforeAll(async () => {
    rig = await rigFactory();
  });
  afterAll(() => rig.close());

  it('is on and available when its receiver is configured', async () => {
    expect(channel.enabled(rig.config)).toBe(true);
    expect((await channel.unavailable?.(rig.config)) ?? null).toBeNull();
  });

  it('delivers exactly one message with its title and text', async () => {
    const message = sampleMessage();
    await channel.send(message, sendContext(rig.config, { log: rig.log }));
    const got = rig.delivered();
    expect(got).toHaveLength(1);
    expect(got[0]?.title).toBe(message.title);
    expect(got[0]?.text).toContain(message.message);
  });

  it('fails retryably, naming no secret, when the receiver is down', async (ctx) => {
    if (rig.downConfig === null) return ctx.skip('this channel has no receiver to be down');
    const err = await rejection(channel.send(sampleMessage(), sendContext(rig.downConfig)));
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).retryable).toBe(true);
    expect(err.message).toMatch(new RegExp(`^${name}: `));
    const everything = `${err.message}\n${err.stack ?? ''}\n${inspect(err, { depth: 6 })}`;
    for (const secret of ALL_SECRETS) expect(everything).not.toContain(secret);
  });
});

import { describe, expect, it } from 'vitest';
import { channelSettings, enabledChannels, maskSetting } from '../../../src/notify/registry.ts';
import { secretValues } from '../../../src/config/index.ts';
import { configFrom, SECRETS } from './fixtures.ts';

const SMTP_PASSWORD = SECRETS.smtpPassword;
const full = () =>
  configFrom({
    NOTIFY_NTFY_URL: `https://me:${SECRETS.webhookPassword}@ntfy.example.com/knees`,
    NOTIFY_NTFY_TOKEN: SECRETS.ntfyToken,
    NOTIFY_WEBHOOK_URL: 'https://hooks.example.com/kneecheck?key=abc123',
    NOTIFY_WEBHOOK_SECRET: SECRETS.webhookSecret,
    NOTIFY_SMTP_URL: `smtps://runner%40example.org:${encodeURIComponent(SMTP_PASSWORD)}@mail.example.com:465`,
    NOTIFY_EMAIL_TO: 'runner@example.org',
    NOTIFY_DESKTOP: '1',
    KNEECHECK_TOKEN: SECRETS.kneecheckToken,
  });

describe('the channel registry', () => {
  it('turns on only the console with an empty configuration', () => {
    expect(enabledChannels(configFrom({})).map((c) => c.name)).toEqual(['console']);
  });

  it('turns on every channel that is configured', () => {
    expect(enabledChannels(full()).map((c) => c.name)).toEqual([
      'console',
      'ntfy',
      'webhook',
      'email',
      'desktop',
    ]);
  });
});

describe('channel settings as notify status shows them', () => {
  const shown = () => channelSettings(full());
  const value = (env: string) =>
    shown()
      .flatMap((c) => c.settings)
      .find((s) => s.env === env)?.value;

  it('contain no secret anywhere', () => {
    const json = JSON.stringify(shown());
    for (const secret of [...Object.values(SECRETS), encodeURIComponent(SMTP_PASSWORD), 'abc123']) {
      expect(json).not.toContain(secret);
    }
  });

  it('mask plain secrets as ****', () => {
    expect(value('NOTIFY_NTFY_TOKEN')).toBe('****');
    expect(value('NOTIFY_WEBHOOK_SECRET')).toBe('****');
    expect(value('KNEECHECK_TOKEN')).toBe('****');
  });

  it('keep the server of a URL but mask its password and query', () => {
    expect(value('NOTIFY_SMTP_URL')).toBe('smtps://runner%40example.org:****@mail.example.com:465');
    // The topic is a password too (ntfy's docs).
    expect(value('NOTIFY_NTFY_URL')).toBe('https://me:****@ntfy.example.com/****');
    expect(value('NOTIFY_WEBHOOK_URL')).toBe('https://hooks.example.com/kneecheck?****');
  });

  it('show plain settings as they are, and unset ones as null', () => {
    expect(value('NOTIFY_EMAIL_TO')).toBe('runner@example.org');
    expect(value('NOTIFY_DESKTOP')).toBe('1');
    const empty = channelSettings(configFrom({})).flatMap((c) => c.settings);
    expect(empty.every((s) => s.value === null)).toBe(true);
  });

  it('mark a URL with a password as secret', () => {
    const ntfyUrl = shown()
      .find((c) => c.name === 'ntfy')
      ?.settings.find((s) => s.env === 'NOTIFY_NTFY_URL');
    expect(ntfyUrl?.secret).toBe(true);
  });

  it('mask a secret that is not a URL even when it looks like one', () => {
    expect(maskSetting({ env: 'NOTIFY_NTFY_TOKEN', value: 'tk:abc', secret: true }).value).toBe(
      '****',
    );
  });
});

describe('secret values for the logger', () => {
  it('include passwords inside URLs, decoded and as written', () => {
    const secrets = secretValues(full());
    expect(secrets).toContain(SMTP_PASSWORD);
    expect(secrets).toContain(encodeURIComponent(SMTP_PASSWORD));
    expect(secrets).toContain(SECRETS.webhookPassword);
    expect(secrets).toContain(SECRETS.ntfyToken);
    expect(secrets).toContain(SECRETS.webhookSecret);
  });
});

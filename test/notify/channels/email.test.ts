import net from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/index.ts';
import email, { recipients, sender } from '../../../src/notify/channels/email.ts';
import { DeliveryError } from '../../../src/notify/types.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../../support/receivers.ts';
import { configFrom, rejection, sampleMessage, SECRETS, sendContext } from './fixtures.ts';

const PASSWORD = SECRETS.smtpPassword;
const LOGIN = { user: 'runner@example.org', pass: PASSWORD };

let receiver: SmtpReceiver;
beforeAll(async () => {
  receiver = await startSmtpReceiver({ auth: LOGIN });
});
afterAll(() => receiver.close());
beforeEach(() => receiver.reset());

const smtpUrl = (user: string, pass: string, port = receiver.port) =>
  `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}`;

const configWith = (url = smtpUrl(LOGIN.user, PASSWORD), to = 'me@example.org'): Config =>
  configFrom({ NOTIFY_SMTP_URL: url, NOTIFY_EMAIL_TO: to });

/** Every trace an error leaves: message, stack, and the whole cause chain as inspected. */
const everything = (err: Error) =>
  `${err.message}\n${err.stack ?? ''}\n${inspect(err, { depth: 8 })}`;

describe('email', () => {
  it('sends the title as subject, with a plain text part and an HTML part', async () => {
    const message = sampleMessage();
    await email.send(message, sendContext(configWith()));
    const [mail] = await receiver.waitFor(1);
    expect(mail?.subject).toBe(message.title);
    expect(mail?.text).toBe(message.message);
    expect(mail?.html).toBe(message.html);
    expect(mail?.headers['content-type']).toMatch(/^multipart\/alternative/);
    expect(mail?.headers['auto-submitted']).toBe('auto-generated');
    expect(mail?.to).toEqual(['me@example.org']);
    expect(mail?.auth).toEqual({ username: LOGIN.user, password: PASSWORD });
  });

  it('keeps non-ASCII titles intact', async () => {
    await email.send(sampleMessage({ title: 'Knie – wie geht’s? 🏃' }), sendContext(configWith()));
    const [mail] = await receiver.waitFor(1);
    expect(mail?.subject).toBe('Knie – wie geht’s? 🏃');
  });

  it('sends from the SMTP login when it is an address, else from kneecheck@localhost', async () => {
    await email.send(sampleMessage(), sendContext(configWith()));
    const [mail] = await receiver.waitFor(1);
    expect(mail?.from).toBe('runner@example.org');
    expect(sender('smtp://relay:pw@127.0.0.1:25')).toBe('kneecheck <kneecheck@localhost>');
    expect(sender('smtp://127.0.0.1:25')).toBe('kneecheck <kneecheck@localhost>');
  });

  it('sends to every address of a comma-separated NOTIFY_EMAIL_TO', async () => {
    const base = configWith();
    const config = { ...base, notify: { ...base.notify, emailTo: 'a@example.org, b@example.org' } };
    await email.send(sampleMessage(), sendContext(config));
    const [mail] = await receiver.waitFor(1);
    expect(mail?.to).toEqual(['a@example.org', 'b@example.org']);
    expect(recipients(' a@x.org,,b@x.org ')).toEqual(['a@x.org', 'b@x.org']);
  });

  it('is unavailable, saying what is missing, when only one of its two settings is set', async () => {
    const onlyTo = configFrom({ NOTIFY_EMAIL_TO: 'me@example.org' });
    expect(email.enabled(onlyTo)).toBe(true);
    expect(await email.unavailable(onlyTo)).toMatch(/NOTIFY_SMTP_URL is not/);
    const err = await rejection(email.send(sampleMessage(), sendContext(onlyTo)));
    expect((err as DeliveryError).retryable).toBe(false);
  });
});

describe('email failures', () => {
  it('a refused message (5xx) is not retryable', async () => {
    receiver.failWith(550);
    const err = await rejection(email.send(sampleMessage(), sendContext(configWith())));
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).retryable).toBe(false);
    expect(err.message).toContain('550');
  });

  it('a temporary refusal (4xx) is retryable', async () => {
    receiver.failWith(451);
    const err = await rejection(email.send(sampleMessage(), sendContext(configWith())));
    expect((err as DeliveryError).retryable).toBe(true);
    expect(err.message).toContain('451');
  });

  it('a wrong password is not retryable, and the password appears in no error', async () => {
    const wrong = 'wr0ng/pass+word-value';
    const err = await rejection(
      email.send(sampleMessage(), sendContext(configWith(smtpUrl(LOGIN.user, wrong)))),
    );
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).retryable).toBe(false);
    for (const secret of [wrong, encodeURIComponent(wrong), PASSWORD]) {
      expect(everything(err)).not.toContain(secret);
    }
  });

  it('gives up when the send times out on a server that never greets, retryably', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const err = await rejection(
        email.send(
          sampleMessage(),
          sendContext(configWith(smtpUrl(LOGIN.user, PASSWORD, port)), { timeoutMs: 300 }),
        ),
      );
      // No wall-clock bound: without the timeout this send would hang until the test's own timeout.
      expect(err).toBeInstanceOf(DeliveryError);
      expect((err as DeliveryError).retryable).toBe(true);
      expect(everything(err)).not.toContain(encodeURIComponent(PASSWORD));
    } finally {
      silent.close();
    }
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import webhook, {
  signWebhook,
  verifyWebhookSignature,
} from '../../../src/notify/channels/webhook.ts';
import { DeliveryError } from '../../../src/notify/types.ts';
import { startHttpReceiver, type HttpReceiver } from '../../support/receivers.ts';
import { configFrom, rejection, sampleMessage, SECRETS, sendContext } from './fixtures.ts';

let receiver: HttpReceiver;
beforeAll(async () => {
  receiver = await startHttpReceiver();
});
afterAll(() => receiver.close());
beforeEach(() => receiver.reset());

const signed = () =>
  configFrom({
    NOTIFY_WEBHOOK_URL: `${receiver.url}/hook`,
    NOTIFY_WEBHOOK_SECRET: SECRETS.webhookSecret,
  });

async function deliverOne(config = signed(), message = sampleMessage()) {
  await webhook.send(message, sendContext(config));
  const [req] = await receiver.waitFor(1);
  if (req === undefined) throw new Error('no request');
  return req;
}

describe('the webhook payload', () => {
  it('has exactly the DESIGN §6 keys, taken from the message', async () => {
    const message = sampleMessage();
    const req = await deliverOne(signed(), message);
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/hook');
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({
      type: 'knee-check',
      runId: message.runId,
      title: message.title,
      message: message.message,
      checkUrl: message.checkUrl,
      run: null,
      advice: null,
    });
  });
});

describe('the webhook signature', () => {
  it('verifies against the exact body with the shared secret', async () => {
    const req = await deliverOne();
    expect(req.headers['x-kneecheck-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(req.headers['x-kneecheck-timestamp']).toMatch(/^\d+$/);
    expect(verifyWebhookSignature(req.body, req.headers, SECRETS.webhookSecret)).toBe(true);
  });

  it('is the HMAC-SHA256 of "<timestamp>.<body>"', async () => {
    const req = await deliverOne();
    const t = Number(req.headers['x-kneecheck-timestamp']);
    expect(req.headers['x-kneecheck-signature']).toBe(
      signWebhook(req.body, SECRETS.webhookSecret, t),
    );
  });

  it('fails with a wrong secret, a changed body or a stale timestamp', async () => {
    const req = await deliverOne();
    expect(verifyWebhookSignature(req.body, req.headers, 'not-the-secret')).toBe(false);
    expect(verifyWebhookSignature(`${req.body} `, req.headers, SECRETS.webhookSecret)).toBe(false);
    const tenMinutesLater = new Date(Date.now() + 10 * 60_000);
    expect(
      verifyWebhookSignature(req.body, req.headers, SECRETS.webhookSecret, {
        now: tenMinutesLater,
      }),
    ).toBe(false);
  });

  it('also verifies with fetch-style Headers', async () => {
    const req = await deliverOne();
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    expect(verifyWebhookSignature(Buffer.from(req.body), headers, SECRETS.webhookSecret)).toBe(
      true,
    );
  });

  it('is absent when no secret is configured', async () => {
    const req = await deliverOne(configFrom({ NOTIFY_WEBHOOK_URL: `${receiver.url}/hook` }));
    expect(req.headers).not.toHaveProperty('x-kneecheck-signature');
    expect(req.headers).not.toHaveProperty('x-kneecheck-timestamp');
  });
});

describe('webhook delivery', () => {
  it('turns user:pass in the URL into Basic auth, not into the request line', async () => {
    const url = `http://hook:${SECRETS.webhookPassword}@127.0.0.1:${receiver.port}/hook`;
    const req = await deliverOne(configFrom({ NOTIFY_WEBHOOK_URL: url }));
    const basic = Buffer.from(`hook:${SECRETS.webhookPassword}`).toString('base64');
    expect(req.headers.authorization).toBe(`Basic ${basic}`);
    expect(req.url).toBe('/hook');
  });

  it.each([
    [503, true],
    [429, true],
    [404, false],
    [400, false],
  ])('an HTTP %i answer is a DeliveryError with retryable %s', async (status, retryable) => {
    receiver.failWith(status);
    const err = await rejection(webhook.send(sampleMessage(), sendContext(signed())));
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).retryable).toBe(retryable);
    expect(err.message).not.toContain(SECRETS.webhookSecret);
  });

  it('gives up on a receiver that answers after the send timed out, retryably', async () => {
    receiver.slowDown(2_000);
    const err = await rejection(
      webhook.send(sampleMessage(), sendContext(signed(), { timeoutMs: 200 })),
    );
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).retryable).toBe(true);
    expect(err.message).toMatch(/in time/);
  });
});

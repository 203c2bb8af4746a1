import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import ntfy, { ntfyTarget, type NtfyPublish } from '../../../src/notify/channels/ntfy.ts';
import { DeliveryError } from '../../../src/notify/types.ts';
import { startHttpReceiver, type HttpReceiver } from '../../support/receivers.ts';
import { configFrom, rejection, sampleMessage, SECRETS, sendContext } from './fixtures.ts';

let receiver: HttpReceiver;
beforeAll(async () => {
  receiver = await startHttpReceiver();
});
afterAll(() => receiver.close());
beforeEach(() => receiver.reset());

const configWith = (extra: Record<string, string> = {}) =>
  configFrom({ NOTIFY_NTFY_URL: `${receiver.url}/kneecheck`, ...extra });

/** Sends one message and returns what ntfy received. */
async function publish(
  message = sampleMessage(),
  config = configWith(),
): Promise<{ body: NtfyPublish; headers: Record<string, unknown> }> {
  await ntfy.send(message, sendContext(config));
  const [req] = await receiver.waitFor(1);
  expect(req?.method).toBe('POST');
  expect(req?.url).toBe('/');
  return { body: JSON.parse(req?.body ?? '') as NtfyPublish, headers: req?.headers ?? {} };
}

describe('ntfy publishes JSON to the server root', () => {
  it('with the topic, title, text, priority, tags and the check form as click URL', async () => {
    const message = sampleMessage();
    const { body, headers } = await publish(message);
    expect(headers['content-type']).toBe('application/json');
    expect(body).toMatchObject({
      topic: 'kneecheck',
      title: message.title,
      message: message.message,
      priority: 3,
      tags: message.tags,
      click: message.checkUrl,
    });
  });

  it('maps low, default and high to ntfy priorities 2, 3 and 4', async () => {
    const got: number[] = [];
    for (const priority of ['low', 'default', 'high'] as const) {
      receiver.reset();
      got.push((await publish(sampleMessage({ priority }))).body.priority);
    }
    expect(got).toEqual([2, 3, 4]);
  });

  it('keeps a path prefix in front of the topic (ntfy behind a reverse proxy)', () => {
    const { root, topic } = ntfyTarget('https://me:pw@example.com/ntfy/my-knees');
    expect(root.href).toBe('https://example.com/ntfy/');
    expect(topic).toBe('my-knees');
  });

  it('refuses a URL without a topic as a configuration error, not a retry', () => {
    expect(() => ntfyTarget('https://ntfy.sh/')).toThrow(DeliveryError);
  });
});

describe('ntfy action buttons', () => {
  it('answer through POST /api/checks with the run id and the pain, then open the form', async () => {
    const message = sampleMessage();
    const { body } = await publish(
      message,
      configWith({ KNEECHECK_TOKEN: SECRETS.kneecheckToken }),
    );
    expect(body.actions).toEqual([
      {
        action: 'http',
        label: 'No pain',
        url: 'http://127.0.0.1:7117/api/checks',
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${SECRETS.kneecheckToken}`,
        },
        body: JSON.stringify({ runId: message.runId, pain: 0, where: [] }),
        clear: true,
      },
      expect.objectContaining({
        action: 'http',
        label: 'Some pain',
        body: JSON.stringify({ runId: message.runId, pain: 4, where: [] }),
      }),
      { action: 'view', label: 'Open check form', url: message.checkUrl },
    ]);
  });

  it('carry no Authorization header when the daemon has no token', async () => {
    const { body } = await publish();
    const http = body.actions?.filter((a) => a.action === 'http') ?? [];
    expect(http).toHaveLength(2);
    for (const a of http) expect(a.headers).toEqual({ 'Content-Type': 'application/json' });
  });

  it('offer only the form when there is no daemon to answer to', async () => {
    const { body } = await publish(sampleMessage({ apiUrl: null }));
    expect(body.actions?.map((a) => a.action)).toEqual(['view']);
  });

  it('are left out, with the click URL, when there is neither a daemon nor a form', async () => {
    const { body } = await publish(sampleMessage({ apiUrl: null, checkUrl: null }));
    expect(body).not.toHaveProperty('actions');
    expect(body).not.toHaveProperty('click');
  });

  it('never exceed the three buttons ntfy allows', async () => {
    const actions = [0, 2, 5, 8].map((pain) => ({ label: `Pain ${pain}`, pain }));
    const { body } = await publish(sampleMessage({ actions }));
    expect(body.actions?.map((a) => a.label)).toEqual(['Pain 0', 'Pain 2', 'Pain 5']);
  });
});

describe('ntfy authentication', () => {
  it('sends the access token as a bearer token', async () => {
    const { headers } = await publish(
      sampleMessage(),
      configWith({ NOTIFY_NTFY_TOKEN: SECRETS.ntfyToken }),
    );
    expect(headers.authorization).toBe(`Bearer ${SECRETS.ntfyToken}`);
  });

  it('turns user:pass in the topic URL into Basic auth', async () => {
    const url = `http://me:${SECRETS.webhookPassword}@127.0.0.1:${receiver.port}/kneecheck`;
    const { headers } = await publish(sampleMessage(), configFrom({ NOTIFY_NTFY_URL: url }));
    const basic = Buffer.from(`me:${SECRETS.webhookPassword}`).toString('base64');
    expect(headers.authorization).toBe(`Basic ${basic}`);
  });
});

describe('ntfy failures', () => {
  const config = () => configWith({ NOTIFY_NTFY_TOKEN: SECRETS.ntfyToken });

  it.each([
    [500, true],
    [502, true],
    [429, true],
    [400, false],
    [401, false],
    [403, false],
  ])('an HTTP %i answer is a DeliveryError with retryable %s', async (status, retryable) => {
    receiver.failWith(status);
    const err = await rejection(ntfy.send(sampleMessage(), sendContext(config())));
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).retryable).toBe(retryable);
    expect(err.message).toContain(`HTTP ${status}`);
  });

  it('never repeats the token, even when the server echoes it', async () => {
    const echo = await startHttpReceiver((req) => ({
      status: 401,
      body: `bad token ${String(req.headers.authorization)}`,
    }));
    try {
      const cfg = configFrom({
        NOTIFY_NTFY_URL: `${echo.url}/kneecheck`,
        NOTIFY_NTFY_TOKEN: SECRETS.ntfyToken,
      });
      const err = await rejection(ntfy.send(sampleMessage(), sendContext(cfg)));
      expect(err.message).toContain('HTTP 401');
      expect(err.message).not.toContain(SECRETS.ntfyToken);
    } finally {
      await echo.close();
    }
  });

  it('gives up on a slow server when the send times out, and says it is worth retrying', async () => {
    receiver.slowDown(2_000);
    const err = await rejection(
      ntfy.send(sampleMessage(), sendContext(config(), { timeoutMs: 200 })),
    );
    // No wall-clock bound: without the timeout the send would succeed after the 2 s slow-down.
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).retryable).toBe(true);
  });
});

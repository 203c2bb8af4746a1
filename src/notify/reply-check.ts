import { randomBytes } from 'node:crypto';
import type { Config } from '../config/index.ts';
import { maskSecrets } from '../log.ts';
import { displayUrl } from './channels/http.ts';
import { replyActions, replyTopicUrl } from './channels/ntfy.ts';
import { readReplyStream, replyStreamTarget } from './ntfy-stream.ts';
import { choicesOf } from './reply-steps.ts';
import type { ReplyButtons } from './types.ts';

/** A test prompt's one button ("Test reply"): answered like a knee check, ignored by the daemon. */
export function testReplyButtons(): ReplyButtons {
  return {
    promptId: `test-${randomBytes(9).toString('base64url')}`,
    nonce: randomBytes(16).toString('base64url'),
    runId: null,
    choices: choicesOf('test'),
  };
}

/** True for the answer of a test prompt (`kneecheck notify test`). */
export const isTestReply = (promptId: string, answer: string): boolean =>
  promptId.startsWith('test-') && answer === 'test';

/** Whether an answer made the round trip: published as a button does, read back as the daemon does. */
export interface RoundTrip {
  ok: boolean;
  /** `<server>/****`: where the answers go (the topic masked). */
  where: string;
  error: string | null;
}

/**
 * `notify test`'s reply check: publishes the test prompt's answer to the reply topic exactly as
 * the phone's button does (no credentials), then reads the topic back as the daemon does (with
 * NOTIFY_NTFY_TOKEN) and looks for it.
 */
export async function replyRoundTrip(
  config: Pick<Config, 'notify'>,
  topic: string,
  buttons: ReplyButtons,
  opts: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<RoundTrip> {
  const ntfyUrl = config.notify.ntfyUrl;
  if (ntfyUrl === null) return { ok: false, where: '', error: 'NOTIFY_NTFY_URL is not set' };
  const target = replyStreamTarget(ntfyUrl, config.notify.ntfyToken, topic);
  const where = maskSecrets(displayUrl(replyTopicUrl(ntfyUrl, topic)), target.secrets);
  const fail = (error: string): RoundTrip => ({
    ok: false,
    where,
    error: maskSecrets(error, target.secrets),
  });
  const [button] = replyActions(buttons, replyTopicUrl(ntfyUrl, topic));
  if (button?.action !== 'http') return fail('the test prompt has no answer button');
  const signal = AbortSignal.timeout(opts.timeoutMs ?? 10_000);
  const doFetch = opts.fetch ?? fetch;
  try {
    const res = await doFetch(button.url, {
      method: button.method,
      headers: button.headers,
      body: button.body,
      signal,
    });
    await res.body?.cancel().catch(() => undefined);
    if (!res.ok) {
      return fail(
        `the ntfy server refused the answer (HTTP ${res.status}): the reply topic must be writable ` +
          'without a token, e.g. `ntfy access everyone <reply topic> write-only` on a server that ' +
          'denies by default',
      );
    }
  } catch (e) {
    return fail(`cannot publish to ${where}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let found = false;
  try {
    await readReplyStream({
      target,
      since: null,
      poll: true,
      signal,
      fetch: doFetch,
      onMessage: (e) => {
        if (e.message === button.body) found = true;
        return Promise.resolve();
      },
    });
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
  return found ? { ok: true, where, error: null } : fail('the answer did not come back');
}

import { maskSecrets } from '../log.ts';
import { displayUrl, splitCredentials } from './channels/http.ts';
import { replyTopicUrl } from './channels/ntfy.ts';

/** One line of ntfy's JSON stream (https://docs.ntfy.sh/subscribe/api/#json-message-format). */
export interface NtfyEvent {
  id: string;
  /** Unix seconds. */
  time: number;
  event: 'open' | 'keepalive' | 'message' | string;
  topic?: string;
  message?: string;
}

/** Where and how to read the reply topic. */
export interface ReplyStreamTarget {
  /** `<server>/<reply topic>/json`. */
  url: URL;
  /** `Authorization` the same way as publishing: NOTIFY_NTFY_TOKEN, else `user:pass@`. */
  headers: Record<string, string>;
  /** Values that must never appear in an error or a log line (the topic, the token). */
  secrets: string[];
}

/** The JSON stream of the reply topic on the ntfy server of NOTIFY_NTFY_URL. */
export function replyStreamTarget(
  ntfyUrl: string,
  ntfyToken: string | null,
  topic: string,
): ReplyStreamTarget {
  const { basicAuth, password } = splitCredentials(ntfyUrl);
  const base = replyTopicUrl(ntfyUrl, topic);
  const url = new URL(`${base.pathname.replace(/\/+$/, '')}/json`, base);
  const auth = ntfyToken === null ? basicAuth : `Bearer ${ntfyToken}`;
  return {
    url,
    headers: auth === null ? {} : { Authorization: auth },
    secrets: [topic, ...(ntfyToken === null ? [] : [ntfyToken]), ...(password ? [password] : [])],
  };
}

/** An HTTP or network failure of the stream; `status` 0 for the network. */
export class StreamError extends Error {
  readonly status: number;
  constructor(message: string, status: number, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'StreamError';
    this.status = status;
  }
}

export interface ReadOptions {
  target: ReplyStreamTarget;
  /** Resume after this message id; null: everything the server still has (`since=all`). */
  since: string | null;
  /** `poll=1`: the cached messages only, then the server closes the stream. */
  poll?: boolean;
  signal: AbortSignal;
  /** No byte for this long (ntfy sends a keepalive every 45 s) counts as a dead connection, in ms. */
  idleTimeoutMs?: number;
  fetch?: typeof fetch;
  /** Called once the server answered 200 (the subscription is live). */
  onOpen?: () => void;
  /** Each `message` event, in order; the next is read once this resolves. */
  onMessage: (e: NtfyEvent) => Promise<void>;
}

/**
 * Reads the reply topic's JSON stream until the server closes it (resolves) or it fails (throws a
 * {@link StreamError} with the secrets masked). A line that is not JSON is skipped.
 */
export async function readReplyStream(opts: ReadOptions): Promise<void> {
  const { target } = opts;
  const url = new URL(target.url);
  url.searchParams.set('since', opts.since ?? 'all');
  if (opts.poll) url.searchParams.set('poll', '1');
  const idle = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  const touch = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => idle.abort(), opts.idleTimeoutMs ?? 120_000);
    timer.unref();
  };
  const where = maskSecrets(displayUrl(target.url), target.secrets);
  const fail = (msg: string, status: number, cause?: unknown): StreamError =>
    new StreamError(maskSecrets(msg, target.secrets), status, cause);
  try {
    touch();
    let res: Response;
    try {
      res = await (opts.fetch ?? fetch)(url, {
        headers: target.headers,
        redirect: 'manual',
        signal: AbortSignal.any([opts.signal, idle.signal]),
      });
    } catch (e) {
      throw fail(`cannot reach ${where}: ${e instanceof Error ? e.message : String(e)}`, 0, e);
    }
    if (!res.ok || !res.body) {
      const text = (await res.text().catch(() => '')).trim().slice(0, 200);
      const hint =
        res.status === 401 || res.status === 403
          ? ' (NOTIFY_NTFY_TOKEN must be allowed to read the reply topic)'
          : '';
      throw fail(`HTTP ${res.status} from ${where}${hint}${text ? `: ${text}` : ''}`, res.status);
    }
    opts.onOpen?.();
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of res.body) {
        touch();
        buffered += decoder.decode(chunk as Uint8Array, { stream: true });
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          const e = parseLine(line);
          if (e?.event === 'message') await opts.onMessage(e);
        }
      }
    } catch (e) {
      if (opts.signal.aborted) return;
      const why = idle.signal.aborted ? 'no keepalive in time' : String(e);
      throw fail(`the stream from ${where} broke off: ${why}`, 0, e);
    }
  } finally {
    if (timer) clearTimeout(timer);
  }
}

function parseLine(line: string): NtfyEvent | null {
  if (line === '') return null;
  try {
    const v = JSON.parse(line) as Partial<NtfyEvent>;
    if (typeof v.id !== 'string' || typeof v.event !== 'string') return null;
    return { ...v, id: v.id, event: v.event, time: typeof v.time === 'number' ? v.time : 0 };
  } catch {
    return null;
  }
}

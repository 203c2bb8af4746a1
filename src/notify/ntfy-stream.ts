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
      const text = (await headText(res, 4096)).trim().slice(0, 200);
      const hint =
        res.status === 401 || res.status === 403
          ? ' (NOTIFY_NTFY_TOKEN must be allowed to read the reply topic)'
          : '';
      throw fail(`HTTP ${res.status} from ${where}${hint}${text ? `: ${text}` : ''}`, res.status);
    }
    opts.onOpen?.();
    const lines = new LineSplitter(MAX_LINE_BYTES);
    try {
      for await (const chunk of res.body) {
        touch();
        for (const line of lines.push(chunk as Uint8Array)) {
          const e = parseLine(line);
          if (e?.event === 'message') await opts.onMessage(e);
        }
      }
    } catch (e) {
      if (opts.signal.aborted) return;
      if (e instanceof LineTooLong) {
        await res.body.cancel().catch(() => undefined);
        throw fail(`${where} sent ${e.message}: the connection was dropped`, 0, e);
      }
      const why = idle.signal.aborted ? 'no keepalive in time' : String(e);
      throw fail(`the stream from ${where} broke off: ${why}`, 0, e);
    }
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** The first `max` bytes of a response body as text (an error page may be endless), then cancels it. */
async function headText(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const parts: Uint8Array[] = [];
  let length = 0;
  try {
    for await (const chunk of res.body) {
      parts.push(chunk as Uint8Array);
      length += (chunk as Uint8Array).length;
      if (length >= max) break;
    }
  } catch {
    // What arrived is enough for the message.
  }
  return new TextDecoder().decode(Buffer.concat(parts).subarray(0, max));
}

/**
 * The longest line read from the stream, bytes: ntfy messages are at most 4 KB (attachments are
 * links), so a longer line is a hostile or broken server (issue 21: a 150 MB line took 125 s of
 * CPU and 870 MB).
 */
export const MAX_LINE_BYTES = 64 * 1024;

/** A line past {@link MAX_LINE_BYTES}: the stream is dropped (the subscriber reconnects). */
class LineTooLong extends Error {}

/**
 * Splits a byte stream into lines with work linear in the bytes: each chunk is scanned once for
 * newlines and only the unfinished line's bytes are kept (never more than `max`).
 */
class LineSplitter {
  readonly #max: number;
  readonly #decoder = new TextDecoder();
  #parts: Uint8Array[] = [];
  #length = 0;
  constructor(max: number) {
    this.#max = max;
  }

  /** The lines `chunk` completes (without their newline, trimmed); throws past the limit. */
  push(chunk: Uint8Array): string[] {
    const out: string[] = [];
    let from = 0;
    let nl: number;
    while ((nl = chunk.indexOf(0x0a, from)) >= 0) {
      this.#keep(chunk.subarray(from, nl));
      out.push(this.#take());
      from = nl + 1;
    }
    this.#keep(chunk.subarray(from));
    return out;
  }

  #keep(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#length += bytes.length;
    if (this.#length > this.#max) {
      this.#parts = [];
      throw new LineTooLong(`a line longer than ${this.#max / 1024} KB`);
    }
    // Copied: the stream may reuse its chunk's memory.
    this.#parts.push(bytes.slice());
  }

  #take(): string {
    const whole = this.#parts.length === 1 ? this.#parts[0] : Buffer.concat(this.#parts);
    this.#parts = [];
    this.#length = 0;
    return whole ? this.#decoder.decode(whole).trim() : '';
  }
}

/**
 * One event of the stream, or null for a line that is not one: not JSON, no string `id` and
 * `event`, or no valid `time` (unix seconds, 2000–2100). A message without a time
 * cannot be checked against its prompt's expiry (issue 21: an expired prompt was accepted).
 */
function parseLine(line: string): NtfyEvent | null {
  if (line === '') return null;
  try {
    const v = JSON.parse(line) as Partial<NtfyEvent> | null;
    if (typeof v !== 'object' || v === null) return null;
    if (typeof v.id !== 'string' || typeof v.event !== 'string') return null;
    const t = v.time;
    if (
      typeof t !== 'number' ||
      !Number.isFinite(t) ||
      t < MIN_EVENT_TIME_S ||
      t > MAX_EVENT_TIME_S
    ) {
      return null;
    }
    return { ...v, id: v.id, event: v.event, time: t };
  } catch {
    return null;
  }
}

/** 2000-01-01 and 2100-01-01 in unix seconds: an event time outside them is not a time. */
const MIN_EVENT_TIME_S = 946_684_800;
const MAX_EVENT_TIME_S = 4_102_444_800;

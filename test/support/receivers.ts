/**
 * Real local receivers for notification tests (DESIGN §8: every test server runs on 127.0.0.1):
 * an HTTP endpoint standing in for an ntfy server or a webhook receiver, and an SMTP server. Both
 * record what they get, can be told to fail or to answer slowly, and listen on a free port unless
 * given one (so a test can stop a receiver and start it again on the same port: "down, then up").
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import { SMTPServer, type SMTPServerAuthentication } from 'smtp-server';

const HOST = '127.0.0.1';

/** One request the HTTP receiver got (recorded before it is answered, so failed ones count too). */
export interface ReceivedRequest {
  method: string;
  /** Path and query, e.g. `/hook?x=1`. */
  url: string;
  /** Lower-case header names, as Node gives them. */
  headers: IncomingHttpHeaders;
  /** The raw body as UTF-8 text (byte-exact for signature checks). */
  body: string;
  /** The status it was answered with (0 while the answer is pending or was never sent). */
  status: number;
}

/** How to answer one request; everything optional (default: 200 `{}` at once). */
export interface Reply {
  status?: number;
  /** A string is sent as is, anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering, in ms (a client with a shorter timeout gives up). */
  delayMs?: number;
}

/** Decides the answer to a request; undefined means the default answer. */
export type ReplyHandler = (req: ReceivedRequest) => Reply | undefined | Promise<Reply | undefined>;

export interface HttpReceiver {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  port: number;
  /** Every request so far, in arrival order. */
  requests: ReceivedRequest[];
  /** The requests answered with a 2xx status: what a sender may count as delivered. */
  delivered(): ReceivedRequest[];
  /** Answers the next `times` requests (default: all, until {@link reset}) with `status`. */
  failWith(status: number, times?: number): void;
  /** Answers every request after `ms` (until {@link reset}). */
  slowDown(ms: number): void;
  /** Forgets failWith/slowDown and the recorded requests; the handler given to start stays. */
  reset(): void;
  /** Resolves once `n` requests arrived (rejects after `timeoutMs`, default 5 s). */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  /** Stops listening and drops open connections, including slow answers still waiting. */
  close(): Promise<void>;
}

/** Polls `done` until it is true; rejects with `what` after `timeoutMs`. */
async function until(done: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Starts an HTTP receiver on 127.0.0.1. `handler` decides answers (default: 200 `{}`);
 * {@link HttpReceiver.failWith} and {@link HttpReceiver.slowDown} take precedence over it.
 */
export async function startHttpReceiver(
  handler?: ReplyHandler,
  opts: { port?: number } = {},
): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let failures: { status: number; left: number } | null = null;
  let delayMs = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status: 0,
      };
      requests.push(rec);
      void answer(rec, res);
    });
  });

  async function answer(rec: ReceivedRequest, res: http.ServerResponse): Promise<void> {
    let reply: Reply = (await handler?.(rec)) ?? {};
    if (failures !== null && failures.left > 0) {
      failures.left -= 1;
      reply = { status: failures.status, body: { error: 'told to fail' } };
    }
    const wait = Math.max(delayMs, reply.delayMs ?? 0);
    if (wait > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t);
          resolve();
        }, wait);
        timers.add(t);
      });
    }
    if (res.destroyed) return;
    const body = reply.body ?? {};
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    rec.status = reply.status ?? 200;
    res.writeHead(rec.status, {
      'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
      ...reply.headers,
    });
    res.end(text);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  return {
    url: `http://${HOST}:${port}`,
    port,
    requests,
    delivered: () => requests.filter((r) => r.status >= 200 && r.status < 300),
    failWith(status, times = Number.POSITIVE_INFINITY) {
      failures = { status, left: times };
    },
    slowDown(ms) {
      delayMs = ms;
    },
    reset() {
      failures = null;
      delayMs = 0;
      requests.length = 0;
    },
    async waitFor(n, timeoutMs = 5_000) {
      await until(() => requests.length >= n, `${n} HTTP request(s)`, timeoutMs);
      return requests;
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** One message the SMTP receiver accepted. */
export interface ReceivedMail {
  /** Envelope sender (MAIL FROM). */
  from: string;
  /** Envelope recipients (RCPT TO). */
  to: string[];
  /** The login the client used, or null when it sent none. */
  auth: { username: string; password: string } | null;
  /** The message as sent (CRLF line ends, dot-unstuffed). */
  raw: string;
  /** Top-level headers, lower-case names, folded lines joined. */
  headers: Record<string, string>;
  /** The Subject header with RFC 2047 encoded words decoded. */
  subject: string;
  /** The decoded text/plain part, or null. */
  text: string | null;
  /** The decoded text/html part, or null. */
  html: string | null;
}

export interface SmtpReceiver {
  /** `smtp://127.0.0.1:<port>` (no credentials: add them for a login). */
  url: string;
  port: number;
  /** Every accepted message, in arrival order. */
  messages: ReceivedMail[];
  /**
   * Refuses the next `times` messages (default: all, until {@link reset}) at DATA with this reply
   * code, e.g. 451 (try again later) or 550 (refused for good).
   */
  failWith(responseCode: number, times?: number): void;
  /** Forgets failWith and the recorded messages. */
  reset(): void;
  /** Resolves once `n` messages arrived (rejects after `timeoutMs`, default 5 s). */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/**
 * Starts an SMTP server on 127.0.0.1 without TLS (STARTTLS disabled, plain-text login allowed).
 * Any login is accepted unless `auth` is given, then only that one (others get 535).
 */
export async function startSmtpReceiver(
  opts: { auth?: { user: string; pass: string }; port?: number } = {},
): Promise<SmtpReceiver> {
  const messages: ReceivedMail[] = [];
  const logins = new Map<string, { username: string; password: string }>();
  let failures: { code: number; left: number } | null = null;

  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 100,
    onAuth(auth: SMTPServerAuthentication, session, callback) {
      const login = { username: auth.username ?? '', password: auth.password ?? '' };
      const want = opts.auth;
      if (want && (login.username !== want.user || login.password !== want.pass)) {
        return callback(Object.assign(new Error('Authentication failed'), { responseCode: 535 }));
      }
      logins.set(session.id, login);
      callback(null, { user: login.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (failures !== null && failures.left > 0) {
          failures.left -= 1;
          const err = new Error(failures.code >= 500 ? 'Refused' : 'Try again later');
          return callback(Object.assign(err, { responseCode: failures.code }));
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const env = session.envelope;
        messages.push({
          from: env.mailFrom === false ? '' : env.mailFrom.address,
          to: env.rcptTo.map((r) => r.address),
          auth: logins.get(session.id) ?? null,
          ...parseMail(raw),
        });
        callback();
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST, () => resolve());
  });
  const port = (server.server.address() as net.AddressInfo).port;

  return {
    url: `smtp://${HOST}:${port}`,
    port,
    messages,
    failWith(code, times = Number.POSITIVE_INFINITY) {
      failures = { code, left: times };
    },
    reset() {
      failures = null;
      messages.length = 0;
    },
    async waitFor(n, timeoutMs = 5_000) {
      await until(() => messages.length >= n, `${n} mail(s)`, timeoutMs);
      return messages;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A port on 127.0.0.1 where nothing listens (a receiver that is down). */
export async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, HOST, () => resolve()));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/* ---- a minimal MIME reader: enough for what nodemailer sends ---- */

interface MimePart {
  headers: Record<string, string>;
  body: string;
}

function splitPart(raw: string): MimePart {
  const text = raw.replace(/\r\n/g, '\n');
  const cut = text.indexOf('\n\n');
  const head = cut < 0 ? text : text.slice(0, cut);
  const body = cut < 0 ? '' : text.slice(cut + 2);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function decodeBody(part: MimePart): string {
  const cte = (part.headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (cte === 'base64')
    return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (cte === 'quoted-printable') {
    const soft = part.body.replace(/=\n/g, '');
    const bytes: number[] = [];
    for (let i = 0; i < soft.length; i++) {
      const hex = soft.slice(i + 1, i + 3);
      if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else {
        bytes.push(...Buffer.from(soft[i] ?? '', 'utf8'));
      }
    }
    return Buffer.from(bytes).toString('utf8');
  }
  return part.body;
}

/** The text/plain and text/html leaves of a (possibly nested) multipart message. */
function leaves(part: MimePart): MimePart[] {
  const type = part.headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!/^multipart\//i.test(type) || boundary === undefined) return [part];
  return part.body
    .split(`--${boundary}`)
    .slice(1)
    .filter((chunk) => !chunk.startsWith('--'))
    .flatMap((chunk) => leaves(splitPart(chunk.replace(/^\n/, ''))));
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?B?…?=` and `=?UTF-8?Q?…?=`). */
export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi, (_m, _cs: string, enc: string, data: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeBody({
            headers: { 'content-transfer-encoding': 'quoted-printable' },
            body: data.replace(/_/g, ' '),
          }),
    );
}

/** Headers, subject and the decoded text and HTML parts of a raw message. */
export function parseMail(raw: string): Omit<ReceivedMail, 'from' | 'to' | 'auth'> {
  const top = splitPart(raw);
  const parts = leaves(top);
  const find = (type: string): string | null => {
    const p = parts.find((x) => (x.headers['content-type'] ?? 'text/plain').startsWith(type));
    return p === undefined ? null : decodeBody(p).replace(/\n$/, '');
  };
  return {
    raw,
    headers: top.headers,
    subject: decodeWords(top.headers.subject ?? ''),
    text: find('text/plain'),
    html: find('text/html'),
  };
}

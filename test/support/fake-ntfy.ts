/**
 * An ntfy-like server on 127.0.0.1 (DESIGN §8), enough of https://docs.ntfy.sh for kneecheck:
 * JSON publish on the root (`POST /` with `topic`, `actions`, `sequence_id`), plain publish on a
 * topic (`POST /<topic>`: what an `http` action button does when tapped), and the JSON stream
 * (`GET /<topic>/json?since=<id>|all[&poll=1]`: an `open` event, the cached messages after
 * `since`, then each new one as it arrives). With `token`, the root publish and every subscription
 * need `Authorization: Bearer <token>`; topics stay writable without it (the reply topic is
 * "write-only for everyone") unless `anonymousWrite` is false. It records every request, can drop every open stream ("the Wi-Fi
 * went away"), and can tap a button the way the phone app does.
 */
import http from 'node:http';
import type net from 'node:net';

export interface FakeNtfyMessage {
  id: string;
  time: number;
  event: 'message';
  topic: string;
  title?: string;
  message: string;
  click?: string;
  sequence_id?: string;
  actions?: {
    action: string;
    label: string;
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
  }[];
}

export interface FakeNtfyRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FakeNtfy {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  requests: FakeNtfyRequest[];
  /** Every message on `topic`, in order. */
  messages(topic: string): FakeNtfyMessage[];
  /** What the phone shows on `topic`: the last message of each sequence id, in order. */
  shown(topic: string): FakeNtfyMessage[];
  /** Subscriptions opened so far (each `GET …/json`), with their query strings. */
  subscriptions: string[];
  /** Streams open now. */
  openStreams(): number;
  /** Cuts every open stream (the daemon must reconnect and resume). */
  dropStreams(): void;
  /**
   * Writes raw bytes to every open stream of `topic`, as a hostile or broken server could (a
   * line of any length, an event without a time); resolves once written. Returns the streams.
   */
  sendRaw(topic: string, data: string | Uint8Array): Promise<number>;
  /** Taps the button `label` of `message` the way the ntfy app does; resolves to its status. */
  tap(message: FakeNtfyMessage, label: string): Promise<number>;
  /** Resolves once `topic` has `n` messages (rejects after `timeoutMs`). */
  waitForMessages(topic: string, n: number, timeoutMs?: number): Promise<FakeNtfyMessage[]>;
  close(): Promise<void>;
}

/** Starts the fake; `clock` gives message times (unix s, default the real clock). */
export async function startFakeNtfy(
  opts: { token?: string; clock?: () => number; anonymousWrite?: boolean } = {},
): Promise<FakeNtfy> {
  const all: FakeNtfyMessage[] = [];
  const requests: FakeNtfyRequest[] = [];
  const subscriptions: string[] = [];
  const streams = new Set<{ topic: string; res: http.ServerResponse }>();
  const sockets = new Set<net.Socket>();
  let seq = 0;
  const clock = opts.clock ?? (() => Math.floor(Date.now() / 1000));
  const authorized = (req: http.IncomingMessage): boolean =>
    opts.token === undefined || req.headers.authorization === `Bearer ${opts.token}`;

  const publish = (m: Omit<FakeNtfyMessage, 'id' | 'time' | 'event'>): FakeNtfyMessage => {
    seq++;
    const msg: FakeNtfyMessage = {
      id: `m${String(seq).padStart(6, '0')}`,
      time: clock(),
      event: 'message',
      ...m,
    };
    all.push(msg);
    for (const s of streams) if (s.topic === msg.topic) s.res.write(`${JSON.stringify(msg)}\n`);
    return msg;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://x');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const parts = url.pathname.split('/').filter(Boolean);
      const json = (status: number, v: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(v));
      };
      if (req.method === 'POST' && parts.length === 0) {
        if (!authorized(req)) return json(403, { error: 'forbidden' });
        const p = JSON.parse(body) as Omit<FakeNtfyMessage, 'id' | 'time' | 'event'>;
        return json(200, publish(p));
      }
      if ((req.method === 'POST' || req.method === 'PUT') && parts.length === 1) {
        if (opts.anonymousWrite === false && !authorized(req)) {
          return json(403, { code: 40301, error: 'forbidden' });
        }
        return json(200, publish({ topic: decodeURIComponent(parts[0] ?? ''), message: body }));
      }
      if (req.method === 'GET' && parts.length === 2 && parts[1] === 'json') {
        if (!authorized(req)) return json(403, { error: 'forbidden' });
        const topic = decodeURIComponent(parts[0] ?? '');
        subscriptions.push(url.search);
        const since = url.searchParams.get('since') ?? 'all';
        const cached = all.filter((m) => m.topic === topic);
        const from = since === 'all' ? 0 : cached.findIndex((m) => m.id === since) + 1;
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        if (url.searchParams.get('poll') !== '1') {
          res.write(`${JSON.stringify({ id: 'open', time: clock(), event: 'open', topic })}\n`);
        }
        for (const m of cached.slice(from)) res.write(`${JSON.stringify(m)}\n`);
        if (url.searchParams.get('poll') === '1') return res.end();
        const s = { topic, res };
        streams.add(s);
        res.on('close', () => streams.delete(s));
        return;
      }
      json(404, { error: 'not found' });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;

  const messages = (topic: string) => all.filter((m) => m.topic === topic);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    subscriptions,
    messages,
    shown(topic) {
      const last = new Map<string, FakeNtfyMessage>();
      for (const m of messages(topic)) last.set(m.sequence_id ?? m.id, m);
      return [...last.values()];
    },
    openStreams: () => streams.size,
    dropStreams() {
      for (const s of streams) s.res.socket?.destroy();
      streams.clear();
    },
    async sendRaw(topic, data) {
      const open = [...streams].filter((s) => s.topic === topic);
      await Promise.all(
        open.map(
          (s) =>
            new Promise<void>((resolve) => {
              // A stream the reader dropped mid-write is done too.
              s.res.once('close', () => resolve());
              s.res.write(data, () => resolve());
            }),
        ),
      );
      return open.length;
    },
    async tap(message, label) {
      const a = message.actions?.find((x) => x.label === label);
      if (!a) throw new Error(`no button "${label}" on "${message.title ?? message.message}"`);
      if (a.action !== 'http') throw new Error(`button "${label}" is a ${a.action} action`);
      const res = await fetch(a.url, {
        method: a.method ?? 'POST',
        headers: a.headers ?? {},
        body: a.body ?? '',
      });
      await res.body?.cancel();
      return res.status;
    },
    async waitForMessages(topic, n, timeoutMs = 5_000) {
      const end = Date.now() + timeoutMs;
      while (messages(topic).length < n) {
        if (Date.now() > end) {
          throw new Error(
            `timed out waiting for ${n} message(s) on a topic (have ${messages(topic).length})`,
          );
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      return messages(topic);
    },
    close() {
      for (const s of streams) s.res.end();
      return new Promise((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

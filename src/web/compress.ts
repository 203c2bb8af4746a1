import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';

/** Bodies smaller than this (bytes) go as they are: compressing them saves less than it costs. */
const MIN_BYTES = 1024;
/** Text worth compressing: pages, styles, scripts, JSON, CSV. */
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|manifest\+json))/;
/**
 * Brotli quality for answers made per request (a 130 KB dashboard in about 1 ms at 5); assets,
 * compressed once and kept, get the best quality.
 */
const PAGE_QUALITY = 5;

export type Encoding = 'br' | 'gzip';

/** The encoding the client accepts that saves the most: br, else gzip, else none. */
export function acceptedEncoding(c: Context): Encoding | null {
  const accept = (c.req.header('Accept-Encoding') ?? '').toLowerCase();
  const offers = new Map<string, number>();
  for (const part of accept.split(',')) {
    const [name = '', ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    offers.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const ok = (e: string) => (offers.get(e) ?? offers.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return null;
}

/** `bytes` compressed with `encoding`; `best` for content compressed once and kept. */
export function compressBytes(bytes: Uint8Array, encoding: Encoding, best = false): Buffer {
  if (encoding === 'gzip') return gzipSync(bytes, { level: best ? 9 : 6 });
  return brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: best ? constants.BROTLI_MAX_QUALITY : PAGE_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
    },
  });
}

/**
 * Compresses text answers (br, else gzip, as the client accepts), issue 24: the dashboard is
 * about 130 KB of HTML, a third of that or less compressed, which matters on a phone. Answers
 * already encoded, small, streamed (no length known) or not text are left as they are.
 */
export const compression: MiddlewareHandler = async (c, next) => {
  await next();
  const res = c.res;
  const type = res.headers.get('Content-Type') ?? '';
  if (
    !res.body ||
    res.status === 204 ||
    res.status === 304 ||
    c.req.method === 'HEAD' ||
    res.headers.has('Content-Encoding') ||
    !COMPRESSIBLE.test(type)
  ) {
    return;
  }
  const encoding = acceptedEncoding(c);
  const vary = () => {
    const was = res.headers.get('Vary');
    if (!was?.toLowerCase().includes('accept-encoding'))
      res.headers.set('Vary', was ? `${was}, Accept-Encoding` : 'Accept-Encoding');
  };
  if (encoding === null) {
    vary();
    return;
  }
  const bytes = new Uint8Array(await res.clone().arrayBuffer());
  if (bytes.byteLength < MIN_BYTES) {
    vary();
    return;
  }
  const body = compressBytes(bytes, encoding);
  // Hono copies the old answer's headers onto the new one: fix them on the old one first.
  res.headers.delete('Content-Length');
  res.headers.set('Content-Encoding', encoding);
  vary();
  c.res = new Response(new Uint8Array(body), { status: res.status, headers: res.headers });
};

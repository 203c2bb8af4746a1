import type { Context } from 'hono';
import { readAsset } from './assets.ts';
import { acceptedEncoding, compressBytes, type Encoding } from './compress.ts';

/** A year: an address with the content's hash names that content for ever. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Compressed bodies of the assets, made once per asset and encoding (best quality). */
const compressed = new Map<string, Buffer>();

function encodedBody(name: string, hash: string, body: string, encoding: Encoding): Buffer {
  const key = `${name}:${hash}:${encoding}`;
  let hit = compressed.get(key);
  if (!hit) {
    hit = compressBytes(Buffer.from(body, 'utf8'), encoding, true);
    compressed.set(key, hit);
  }
  return hit;
}

/**
 * `GET /assets/:name` (issue 24): with `?v=<its hash>` (the pages' own links, assets.ts
 * `assetUrl`) the answer may be kept for a year; without, or with an old hash, it is checked
 * every time. Either way it carries an ETag, so a check costs a 304, and it goes out compressed
 * (br or gzip, made once per asset).
 */
export function serveAsset(c: Context, name: string): Response | Promise<Response> {
  const asset = readAsset(name);
  if (!asset) return c.notFound();
  const etag = `"${asset.hash}"`;
  const cache = c.req.query('v') === asset.hash ? IMMUTABLE : 'no-cache';
  const headers: Record<string, string> = {
    'Content-Type': asset.type,
    'Cache-Control': cache,
    ETag: etag,
    Vary: 'Accept-Encoding',
  };
  const match = c.req.header('If-None-Match');
  if (match !== undefined && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    return new Response(null, { status: 304, headers });
  }
  const encoding = acceptedEncoding(c);
  if (encoding === null) return new Response(asset.body, { headers });
  const body = encodedBody(name, asset.hash, asset.body, encoding);
  return new Response(new Uint8Array(body), {
    headers: { ...headers, 'Content-Encoding': encoding },
  });
}

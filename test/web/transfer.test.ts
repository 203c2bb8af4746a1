import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { harness } from './support.ts';

const BR = { 'Accept-Encoding': 'br, gzip;q=0.8' };

/** The asset addresses a page links to (stylesheets and scripts). */
const assetLinks = (html: string): string[] =>
  [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) =>
    (m[1] ?? '').replaceAll('&amp;', '&'),
  );

describe('what the dashboard costs to load (issue 24)', () => {
  it('sends the page compressed (br, else gzip), the same page once decoded', async () => {
    const { app } = await harness({ demo: true });
    const plain = await (await app.request('/')).text();
    const br = await app.request('/', { headers: BR });
    expect(br.headers.get('Content-Encoding')).toBe('br');
    expect(br.headers.get('Vary')).toMatch(/Accept-Encoding/);
    const brBytes = Buffer.from(await br.arrayBuffer());
    expect(brBytes.byteLength).toBeLessThan(plain.length / 3);
    const decoded = brotliDecompressSync(brBytes).toString('utf8');
    // The CSRF token differs per answer; the rest of the page is the same.
    const noCsrf = (s: string) => s.replace(/name="csrf" value="[^"]+"/g, '');
    expect(noCsrf(decoded)).toBe(noCsrf(plain));

    const gz = await app.request('/', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('Content-Encoding')).toBe('gzip');
    expect(noCsrf(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8'))).toBe(
      noCsrf(plain),
    );
    // Nothing accepted, nothing encoded; security headers stay on a compressed answer.
    const none = await app.request('/', { headers: { 'Accept-Encoding': 'identity' } });
    expect(none.headers.get('Content-Encoding')).toBeNull();
    expect(br.headers.get('Content-Security-Policy')).toMatch(/default-src 'none'/);
  });

  it('links assets by their content hash and lets a browser keep them: a repeat view downloads only the page', async () => {
    const { app } = await harness({ demo: true });
    const first = await app.request('/', { headers: BR });
    const html = await (await app.request('/')).text();
    const links = assetLinks(html);
    expect(links.length).toBeGreaterThanOrEqual(3);
    let assetBytes = 0;
    for (const link of links) {
      expect(link).toMatch(/\?v=[0-9a-f]{16}$/);
      const res = await app.request(link, { headers: BR });
      expect(res.status, link).toBe(200);
      expect(res.headers.get('Cache-Control'), link).toMatch(/immutable/);
      expect(res.headers.get('Content-Encoding'), link).toBe('br');
      assetBytes += (await res.arrayBuffer()).byteLength;
    }
    const pageBytes = (await first.arrayBuffer()).byteLength;
    // A repeat view fetches the page again and none of the immutable assets.
    const repeat = pageBytes;
    const firstView = pageBytes + assetBytes;
    expect(repeat / firstView).toBeLessThan(0.5);
  });

  it('answers a stale or unhashed asset address with a validator, and a revalidation with 304', async () => {
    const { app } = await harness();
    const bare = await app.request('/assets/app.css');
    expect(bare.headers.get('Cache-Control')).toBe('no-cache');
    const etag = bare.headers.get('ETag');
    expect(etag).toMatch(/^"[0-9a-f]{16}"$/);
    const old = await app.request('/assets/app.css?v=0000000000000000');
    expect(old.headers.get('Cache-Control')).toBe('no-cache');
    const again = await app.request('/assets/app.css', {
      headers: { 'If-None-Match': etag ?? '' },
    });
    expect(again.status).toBe(304);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
    expect((await app.request('/assets/nope.css')).status).toBe(404);
  });
});

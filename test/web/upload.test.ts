import fs from 'node:fs';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../../src/import/pipeline.ts';
import type { Run } from '../../src/model.ts';
import { tempDir } from '../support/paths.ts';
import { simpleRun } from '../support/synth-fit.ts';
import { makeZip } from '../support/zip.ts';
import { SECRETS, harness, oneBrowser, type Harness } from './support.ts';

const TOKEN = SECRETS.KNEECHECK_TOKEN;

/** An app over an empty store whose uploads make their temp folders in a folder of the test's. */
async function uploadHarness(
  opts: { settings?: Record<string, string>; maxBytes?: number } = {},
): Promise<Harness & { tmp: string; prompted: Run[][] }> {
  const tmp = tempDir('kneecheck-upload-root-');
  const prompted: Run[][] = [];
  const h = await harness({
    ...(opts.settings ? { settings: opts.settings } : {}),
    deps: {
      uploadTempDir: tmp,
      onImported: (runs) => void prompted.push([...runs]),
      ...(opts.maxBytes === undefined ? {} : { uploadMaxBytes: opts.maxBytes }),
    },
  });
  return { ...h, tmp, prompted };
}

/** The dashboard's CSRF token (from the upload form), fetched as a browser would. */
async function csrfOf(h: Harness, headers: Record<string, string> = {}): Promise<string> {
  const html = await (await h.app.request('/', { headers })).text();
  const form = /<form[^>]*id="upload-form"[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  const token = /name="csrf" value="([^"]+)"/.exec(form)?.[1];
  if (!token) throw new Error('no upload form with a CSRF token on the dashboard');
  return token;
}

type Part = [name: string, value: string] | [name: string, bytes: Uint8Array, filename: string];

function body(parts: Part[]): FormData {
  const form = new FormData();
  for (const p of parts) {
    if (p.length === 2) form.append(p[0], p[1]);
    else form.append(p[0], new Blob([p[1]]), p[2]);
  }
  return form;
}

const post = (
  h: Harness,
  parts: Part[],
  headers: Record<string, string> = {},
  path = '/api/import',
) => h.app.request(path, { method: 'POST', headers, body: body(parts) });

const RUN_A = simpleRun(new Date('2026-11-23T17:00:00Z'), { km: 5 });
const RUN_B = simpleRun(new Date('2026-11-21T08:30:00Z'), { km: 8, speedMps: 2.8 });
const RUN_C = simpleRun(new Date('2026-11-19T06:45:00Z'), { km: 6, speedMps: 3.3 });

const leftovers = (dir: string) => fs.readdirSync(dir);

describe('POST /api/import: files from the page', () => {
  it('imports a FIT file made with the SDK, then finds the same file a duplicate', async () => {
    const h = await uploadHarness();
    const csrf = await csrfOf(h);
    const res = await post(h, [['files', RUN_A, 'Morning Run.fit']], { 'X-CSRF-Token': csrf });
    expect(res.status).toBe(200);
    const report = (await res.json()) as ImportReport;
    expect(report.imported.map((i) => i.file)).toEqual(['Morning Run.fit']);
    expect(report.imported[0]?.run.distanceM).toBeGreaterThan(4900);
    expect(report.imported[0]?.run.distanceM).toBeLessThan(5100);
    expect(h.store.runs.list({ limit: 10 })).toHaveLength(1);
    // The knee-check prompt hook saw the new run.
    expect(h.prompted.map((runs) => runs.map((r) => r.id))).toEqual([[report.imported[0]?.run.id]]);
    expect(leftovers(h.tmp)).toEqual([]);

    const again = await post(h, [['files', RUN_A, 'copy of run.fit']], { 'X-CSRF-Token': csrf });
    const second = (await again.json()) as ImportReport;
    expect(again.status).toBe(200);
    expect(second.imported).toEqual([]);
    expect(second.duplicates).toEqual([
      { file: 'copy of run.fit', of: report.imported[0]?.run.id },
    ]);
    expect(h.store.runs.list({ limit: 10 })).toHaveLength(1);
    expect(h.prompted).toHaveLength(1);
    expect(leftovers(h.tmp)).toEqual([]);
  });

  it('names every file of a mixed upload as uploaded, zip members inside their zip (zip!member)', async () => {
    const h = await uploadHarness();
    const csrf = await csrfOf(h);
    const res = await post(
      h,
      [
        ['files', makeZip({ 'activities/long.fit': RUN_B }), 'export.zip'],
        ['files', Buffer.from('shopping list: eggs\n'), 'notes.txt'],
        ['files', Buffer.from('not a FIT file at all, just words'), 'broken.fit'],
        ['files', RUN_A, '../../etc/evil.fit'],
        ['files', zlib.gzipSync(RUN_C), 'tempo.fit.gz'],
      ],
      { 'X-CSRF-Token': csrf },
    );
    expect(res.status).toBe(200);
    const r = (await res.json()) as ImportReport;
    expect(r.imported.map((i) => i.file).sort()).toEqual([
      'evil.fit',
      'export.zip!activities/long.fit',
      'tempo.fit.gz',
    ]);
    const notRead = [
      ...r.skipped.map((s) => [s.file, s.reason]),
      ...r.failed.map((f) => [f.file, f.error]),
    ];
    expect(notRead.map(([file]) => file).sort()).toEqual(['broken.fit', 'notes.txt']);
    for (const [file, why] of notRead) {
      expect(why, file).toMatch(/\w/);
      // No temp folder in any message: the runner sees the names they sent.
      expect(why, file).not.toContain(h.tmp);
    }
    expect(leftovers(h.tmp)).toEqual([]);
  });

  it('refuses an upload over the cap with 413 and a message, storing nothing', async () => {
    const h = await uploadHarness({ maxBytes: 64 * 1024 });
    const csrf = await csrfOf(h);
    const big = Buffer.concat([RUN_A, Buffer.alloc(200 * 1024)]);
    const res = await post(h, [['files', big, 'huge.fit']], { 'X-CSRF-Token': csrf });
    expect(res.status).toBe(413);
    const { error } = (await res.json()) as { error: string };
    expect(error).toMatch(/larger than 64 KB/);
    expect(error).toMatch(/kneecheck import/);
    expect(h.store.runs.list({ limit: 10 })).toHaveLength(0);
    expect(leftovers(h.tmp)).toEqual([]);

    // Declared too large: refused before a byte is read.
    const declared = await h.app.request('/api/import', {
      method: 'POST',
      headers: {
        'Content-Type': 'multipart/form-data; boundary=x',
        'Content-Length': String(10 * 1024 * 1024),
        'X-CSRF-Token': csrf,
      },
      body: '--x--\r\n',
    });
    expect(declared.status).toBe(413);
  });

  it('refuses a missing, wrong or late CSRF token and a foreign origin with 403', async () => {
    const h = await uploadHarness();
    const csrf = await csrfOf(h);
    const file: Part = ['files', RUN_A, 'run.fit'];
    const cases: [string, Part[], Record<string, string>][] = [
      ['no token', [file], {}],
      ['wrong token', [file], { 'X-CSRF-Token': `${csrf.split('.')[0]}.${'0'.repeat(64)}` }],
      ['token after the file', [file, ['csrf', csrf]], {}],
      ['cross-site', [file], { 'X-CSRF-Token': csrf, 'Sec-Fetch-Site': 'cross-site' }],
      ['foreign origin', [file], { 'X-CSRF-Token': csrf, Origin: 'https://evil.example' }],
    ];
    for (const [label, parts, headers] of cases) {
      const res = await post(h, parts, headers);
      expect(res.status, label).toBe(403);
      expect(((await res.json()) as { error: string }).error, label).toMatch(
        /this page|another site/,
      );
    }
    expect(h.store.runs.list({ limit: 10 })).toHaveLength(0);
    expect(leftovers(h.tmp)).toEqual([]);

    // The pages send their referrer to their own origin (Referrer-Policy: same-origin), so a
    // browser names this origin; `Origin: null` (a sandboxed frame, a file: page) is refused.
    const sameOrigin = await post(h, [['csrf', csrf], file], {
      Origin: 'http://localhost',
      'Sec-Fetch-Site': 'same-origin',
    });
    expect(sameOrigin.status).toBe(200);
    const nullCross = await post(h, [['csrf', csrf], file], {
      Origin: 'null',
      'Sec-Fetch-Site': 'same-origin',
    });
    expect(nullCross.status).toBe(403);

    // The page's own origin, the token as the form's first field: accepted (now a duplicate).
    const ok = await post(h, [['csrf', csrf], file], { Origin: 'http://localhost' });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as ImportReport).duplicates).toHaveLength(1);
  });

  it('answers 415 for a body that is not a multipart form, 400 for one without files', async () => {
    const h = await uploadHarness();
    const csrf = await csrfOf(h);
    const json = await h.app.request('/api/import', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: '{}',
    });
    expect(json.status).toBe(415);
    // A form sent with no file chosen: an empty file part.
    const none = await post(h, [
      ['csrf', csrf],
      ['files', new Uint8Array(0), ''],
    ]);
    expect(none.status).toBe(400);
    expect(((await none.json()) as { error: string }).error).toMatch(/choose at least one/);
    expect(leftovers(h.tmp)).toEqual([]);
  });

  it('beyond loopback still needs the token, then the CSRF token', async () => {
    const h = await uploadHarness({
      settings: { KNEECHECK_HOST: '0.0.0.0', KNEECHECK_TOKEN: TOKEN },
    });
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const csrf = await csrfOf(h, auth);
    const anon = await post(h, [['files', RUN_A, 'run.fit']], { 'X-CSRF-Token': csrf });
    expect(anon.status).toBe(401);
    const noCsrf = await post(h, [['files', RUN_A, 'run.fit']], auth);
    expect(noCsrf.status).toBe(403);
    const ok = await post(h, [['files', RUN_A, 'run.fit']], { ...auth, 'X-CSRF-Token': csrf });
    expect(ok.status).toBe(200);
    expect(h.store.runs.list({ limit: 10 })).toHaveLength(1);
  });
});

describe('POST /import: the same form without JavaScript', () => {
  it('is a plain multipart form on the dashboard whose post answers the report as a page', async () => {
    const h = await uploadHarness();
    const html = await (await h.app.request('/')).text();
    const form = /<form[^>]*id="upload-form"[^>]*>[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
    expect(form).toMatch(/method="post"/);
    expect(form).toMatch(/action="\/import"/);
    expect(form).toMatch(/enctype="multipart\/form-data"/);
    // The CSRF field comes before the file input (the server reads it before any file).
    expect(form.indexOf('name="csrf"')).toBeLessThan(form.indexOf('type="file"'));
    expect(form).toMatch(/<button type="submit"/);
    expect(html).not.toMatch(/<script>|style="/);
    // The drop zone's script comes from /assets (CSP: script-src 'self').
    expect(html).toMatch(/<script src="\/assets\/upload\.js\?v=[0-9a-f]{16}" defer><\/script>/);
    const js = await h.app.request('/assets/upload.js');
    expect(js.headers.get('Content-Type')).toContain('text/javascript');
    expect(await js.text()).toContain('/api/import');

    const csrf = await csrfOf(h);
    const res = await post(
      h,
      [
        ['csrf', csrf],
        ['files', RUN_A, 'Evening Run.fit'],
        ['files', Buffer.from('x'), 'a.txt'],
      ],
      { Accept: 'text/html' },
      '/import',
    );
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toMatch(/Imported 1 run, 0 duplicates, \d skipped, \d failed/);
    expect(page).toContain('Evening Run.fit');
    expect(page).toContain('a.txt');
    const id = h.store.runs.list({ limit: 1 })[0]?.id ?? 'none';
    expect(page).toContain(`href="/runs/${encodeURIComponent(id)}"`);

    const refused = await post(h, [['files', RUN_A, 'x.fit']], { Accept: 'text/html' }, '/import');
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/Nothing imported[\s\S]*did not come from this page/);
  });

  it('the empty dashboard says which path fits which watch', async () => {
    const h = await uploadHarness();
    const html = await (await h.app.request('/')).text();
    const empty =
      /<section class="card empty" id="empty">[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(empty).toMatch(/Garmin[\s\S]*intervals\.icu[\s\S]*kneecheck intervals connect/);
    expect(empty).toMatch(/Apple Watch[\s\S]*export\.zip/);
    expect(empty).toMatch(/Android[\s\S]*GPX or TCX/);
    expect(empty).toContain(h.config.inbox);
    expect(empty).toMatch(/Strava[\s\S]*subscription/);
    expect(html).toMatch(/id="add-runs"[\s\S]*Add runs from files/);
  });
});

describe('an app without an import function', () => {
  it('answers an upload with 503 and a message, and stores nothing', async () => {
    const h = await harness();
    const { createApp } = await import('../../src/web/app.ts');
    const app = oneBrowser(createApp({ ...h.deps, importFiles: undefined }));
    const page = await (await app.request('/')).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const res = await app.request('/api/import', {
      method: 'POST',
      headers: { 'X-CSRF-Token': csrf },
      body: body([['files', RUN_A, 'run.fit']]),
    });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: string }).error).toMatch(/kneecheck import/);
    expect(h.store.runs.list({ limit: 10 })).toHaveLength(0);
  });
});

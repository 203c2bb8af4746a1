import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/log.ts';
import { Store } from '../../src/store/index.ts';
import { createApp } from '../../src/web/app.ts';
import { corruptTables, smallDisk, type SmallDisk } from '../support/damage.ts';
import { NOW, ZONE, formOf, formRequest, harness, jsonRequest, oneBrowser } from './support.ts';

/** A logger whose JSON lines land in `lines`. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, log: createLogger({ stream, json: true, level: 'debug' }) };
}

const disks: SmallDisk[] = [];
afterAll(() => {
  for (const d of disks.splice(0)) d.unmount();
});

/** Issue 21 item 9: a damaged database is found by /healthz and said plainly, once. */
describe('a damaged database', () => {
  it('/healthz says so with what to do, pages answer 503 with the same words, and the log says it once', async () => {
    const h = await harness({ demo: true });
    const dataDir = h.config.dataDir;
    const before = await h.app.request('/healthz');
    expect(before.status).toBe(200);
    h.store.close();
    corruptTables(dataDir, ['runs', 'checks']);
    const store = Store.open(dataDir);
    const { lines, log } = capture();
    const app = createApp({ ...h.deps, store, log });
    try {
      const health = await app.request('/healthz');
      expect(health.status).toBe(503);
      const body = (await health.json()) as { ok: boolean; database: string };
      expect(body.ok).toBe(false);
      expect(body.database).toMatch(/kneecheck\.sqlite is damaged.*move the file aside/);
      for (const url of ['/', '/api/runs', '/runs', '/']) {
        const res = await app.request(url);
        expect(res.status, url).toBe(503);
        expect(await res.text(), url).toMatch(/kneecheck\.sqlite is damaged/);
      }
      const said = lines.filter((l) => /database cannot answer/.test(String(l.msg)));
      expect(said).toHaveLength(1);
      expect(lines.filter((l) => l.msg === 'web: request failed')).toEqual([]);
    } finally {
      store.close();
    }
  });
});

/** Issue 21 item 5: a check sent while the disk is full is not lost. */
describe('a check sent while the disk is full', () => {
  const disk = smallDisk(3072);
  const why = typeof disk === 'string' ? ` (skipped: ${disk})` : '';
  if (typeof disk !== 'string') disks.push(disk);

  it.skipIf(why !== '')(
    `comes back in the form with what was typed and a plain "try again", and is saved once there is room${why}`,
    async () => {
      const d = disk as SmallDisk;
      const config = loadConfig({
        env: {
          KNEECHECK_DATA_DIR: path.join(d.dir, 'data'),
          KNEECHECK_TIMEZONE: ZONE,
          KNEECHECK_NOW: NOW,
        },
        envFile: path.join(d.dir, 'no.env'),
      });
      const store = Store.open(config.dataDir);
      const { log } = capture();
      // One browser: the form's CSRF token is bound to the cookie its page set.
      const app = oneBrowser(
        createApp({ store, config, now: () => new Date(Date.parse(NOW)), log }),
      );
      try {
        const { csrf, action } = formOf(await (await app.request('/check')).text());
        d.fill();
        const note = 'stairs hurt after the long run';
        const fields: [string, string][] = [
          ['pain', '4'],
          ['where', 'front'],
          ['note', note],
        ];
        const res = await app.request(action, formRequest([['csrf', csrf], ...fields]));
        expect(res.status).toBe(503);
        const html = await res.text();
        expect(html).toMatch(/Not saved: the disk holding .*kneecheck\.sqlite is full/);
        expect(html).toContain(note);
        expect(html).toMatch(/name="pain" value="4" required checked/);
        expect(store.checks.list()).toEqual([]);
        // The API says the same, and that it may be sent again.
        const api = await app.request('/api/checks', jsonRequest({ pain: 0, runId: null }));
        expect(api.status).toBe(503);
        expect(api.headers.get('Retry-After')).toBe('60');
        expect(await api.json()).toMatchObject({ retry: true });
        // With room again, the form as it came back saves.
        d.free();
        const again = formOf(html);
        const saved = await app.request(
          again.action,
          formRequest([['csrf', again.csrf], ...fields]),
        );
        expect(saved.status).toBe(303);
        expect(store.checks.list().map((c) => c.note)).toEqual([note]);
      } finally {
        store.close();
      }
    },
  );
});

describe('a correction sent while the disk is full', () => {
  const disk = smallDisk(3072);
  const why = typeof disk === 'string' ? ` (skipped: ${disk})` : '';
  if (typeof disk !== 'string') disks.push(disk);

  it.skipIf(why !== '')(
    `comes back in its form as typed, and is saved once there is room${why}`,
    async () => {
      const d = disk as SmallDisk;
      const config = loadConfig({
        env: {
          KNEECHECK_DATA_DIR: path.join(d.dir, 'data'),
          KNEECHECK_TIMEZONE: ZONE,
          KNEECHECK_NOW: NOW,
        },
        envFile: path.join(d.dir, 'no.env'),
      });
      const store = Store.open(config.dataDir);
      const { log } = capture();
      const app = oneBrowser(
        createApp({ store, config, now: () => new Date(Date.parse(NOW)), log }),
      );
      try {
        const first = formOf(await (await app.request('/check')).text());
        const made = await app.request(
          first.action,
          formRequest([
            ['csrf', first.csrf],
            ['pain', '2'],
            ['where', 'front'],
          ]),
        );
        expect(made.status).toBe(303);
        const [check] = store.checks.list();
        if (!check) throw new Error('the check was stored');
        const edit = formOf(await (await app.request(`/checks/${check.id}/edit`)).text());
        d.fill();
        const fields: [string, string][] = [
          ['pain', '5'],
          ['where', 'outside'],
          ['note', 'it was the outside after all'],
        ];
        const res = await app.request(edit.action, formRequest([['csrf', edit.csrf], ...fields]));
        expect(res.status).toBe(503);
        const html = await res.text();
        expect(html).toMatch(/Not saved: the disk holding .*kneecheck\.sqlite is full/);
        expect(html).toContain('it was the outside after all');
        expect(store.checks.get(check.id)?.pain).toBe(2);
        d.free();
        const again = formOf(html);
        const saved = await app.request(
          again.action,
          formRequest([['csrf', again.csrf], ...fields]),
        );
        expect(saved.status).toBe(303);
        expect(store.checks.get(check.id)).toMatchObject({ pain: 5, where: ['outside'] });
      } finally {
        store.close();
      }
    },
  );
});

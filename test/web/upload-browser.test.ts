import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, tempDir } from '../support/paths.ts';
import { simpleRun } from '../support/synth-fit.ts';
import { harness, type Harness } from './support.ts';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const OUT = path.join(REPO, 'test-output');
if (!HAVE_CHROMIUM) {
  console.warn(`kneecheck upload browser test skipped: ${CHROMIUM} not found`);
}
/** The cap of this test's server: small, so "too large" is a 2 MB file. */
const MAX_BYTES = 1024 * 1024;

describe.skipIf(!HAVE_CHROMIUM)(
  `adding runs from files in a real browser${HAVE_CHROMIUM ? '' : ' (skipped: no chromium)'}`,
  () => {
    let browser: Browser;
    let files: string;
    const servers: { h: Harness; server: ServerType }[] = [];

    /** A daemon's web app over an empty store, on 127.0.0.1. */
    async function start(): Promise<{ base: string; h: Harness; uploadTmp: string }> {
      const uploadTmp = tempDir('kneecheck-upload-root-');
      const h = await harness({ deps: { uploadMaxBytes: MAX_BYTES, uploadTempDir: uploadTmp } });
      const server = await new Promise<ServerType>((resolve) => {
        const s = serve({ fetch: h.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
      });
      servers.push({ h, server });
      return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, h, uploadTmp };
    }

    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      fs.mkdirSync(OUT, { recursive: true });
      files = tempDir('kneecheck-upload-files-');
      fs.writeFileSync(
        path.join(files, 'Morning Run.fit'),
        simpleRun(new Date('2026-11-23T17:00:00Z'), { km: 5 }),
      );
      fs.writeFileSync(path.join(files, 'notes.txt'), 'not a run\n');
      fs.writeFileSync(path.join(files, 'huge.fit'), Buffer.alloc(2 * MAX_BYTES, 1));
    });

    afterAll(async () => {
      await browser?.close();
      for (const { h, server } of servers) {
        await new Promise((resolve) => server.close(resolve));
        h.store.close();
      }
    });

    const watch = (page: Page): string[] => {
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('console', (m) => {
        // The refused upload's 413 is logged by Chromium as a failed resource: expected below.
        if (m.type() === 'error' && !/status of 413/.test(m.text()))
          problems.push(`console: ${m.text()}`);
      });
      return problems;
    };

    it('picks files with the button, shows the report inline, and says when it is too large', async () => {
      for (const width of [390, 1280]) {
        const { base, h, uploadTmp } = await start();
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        const problems = watch(page);
        await page.goto(`${base}/`);
        await page.locator('#upload-form.enhanced').waitFor();
        // The native input is hidden behind the "Add runs from files" button.
        expect(await page.locator('#add-runs .pick').isVisible()).toBe(true);
        expect(await page.locator('#add-runs button.send').isVisible()).toBe(false);
        await page.screenshot({
          path: path.join(OUT, `upload-empty-${width}.png`),
          fullPage: true,
        });

        await page
          .locator('#upload-files')
          .setInputFiles([path.join(files, 'Morning Run.fit'), path.join(files, 'notes.txt')]);
        const summary = page.locator('#import-report .report-summary');
        await expect.poll(() => summary.textContent()).toMatch(/^Imported 1 run, 0 duplicates/);
        const report = await page.locator('#import-report').textContent();
        expect(report).toContain('Morning Run.fit');
        expect(report).toContain('notes.txt');
        expect(await page.locator('#import-report .imported a').getAttribute('href')).toMatch(
          /^\/runs\//,
        );
        // Nothing wider than the screen.
        const scrollWidth = await page.evaluate('document.documentElement.scrollWidth');
        expect(Number(scrollWidth)).toBeLessThanOrEqual(width);
        await page.locator('#add-runs').scrollIntoViewIfNeeded();
        await page.screenshot({
          path: path.join(OUT, `upload-report-${width}.png`),
          fullPage: true,
        });
        await page
          .locator('#add-runs')
          .screenshot({ path: path.join(OUT, `upload-card-${width}.png`) });

        // The same file dropped on the zone: a duplicate.
        const bytes = [...fs.readFileSync(path.join(files, 'Morning Run.fit'))];
        // A DataTransfer made in the page (a script cannot hand the browser real dragged files).
        const dt = await page.evaluateHandle(`(() => {
          const t = new DataTransfer();
          t.items.add(new File([new Uint8Array(${JSON.stringify(bytes)})], 'dropped.fit'));
          return t;
        })()`);
        await page.dispatchEvent('.drop-zone', 'drop', { dataTransfer: dt });
        await expect.poll(() => summary.textContent()).toMatch(/^Imported 0 runs, 1 duplicate,/);
        expect(await page.locator('#import-report .duplicates').textContent()).toContain(
          'dropped.fit',
        );

        await page.locator('#upload-files').setInputFiles(path.join(files, 'huge.fit'));
        await expect
          .poll(() => page.locator('#import-report .error').textContent())
          .toMatch(/larger than 1 MB/);
        expect(problems).toEqual([]);
        expect(h.store.runs.list({ limit: 10 })).toHaveLength(1);
        expect(fs.readdirSync(uploadTmp)).toEqual([]);
        await page.close();
      }
    });

    it('works without JavaScript: the form posts and the report is a page', async () => {
      const { base, h } = await start();
      const ctx = await browser.newContext({
        javaScriptEnabled: false,
        viewport: { width: 390, height: 900 },
      });
      const page = await ctx.newPage();
      await page.goto(`${base}/`);
      expect(await page.locator('#add-runs button.send').isVisible()).toBe(true);
      await page
        .locator('#add-runs')
        .screenshot({ path: path.join(OUT, 'upload-nojs-card-390.png') });
      await page.locator('#upload-files').setInputFiles(path.join(files, 'Morning Run.fit'));
      await Promise.all([
        page.waitForURL(/\/import$/),
        page.locator('#add-runs button.send').click(),
      ]);
      expect(await page.locator('#import-result .report-summary').textContent()).toMatch(
        /^Imported 1 run/,
      );
      expect(await page.locator('#import-result').textContent()).toContain('Morning Run.fit');
      expect(h.store.runs.list({ limit: 10 })).toHaveLength(1);
      await page.screenshot({ path: path.join(OUT, 'upload-nojs-390.png'), fullPage: true });
      await ctx.close();
    });
  },
);

import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, NO_CHROMIUM_NOTE, REPO } from '../support/paths.ts';
import { storeManyRuns } from './many-runs.ts';
import { harness, type Harness } from './support.ts';

const HAVE_CHROMIUM = CHROMIUM !== null;
const OUT = path.join(REPO, 'test-output');
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
if (!HAVE_CHROMIUM) console.warn(`kneecheck browser test${NO_CHROMIUM_NOTE}`);

/** Page width the document lays out to (wider than the viewport: it scrolls sideways). */
const layoutWidth = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth');

describe.skipIf(!HAVE_CHROMIUM)(
  `all runs, the run page and the clinician summary in a real browser${NO_CHROMIUM_NOTE}`,
  () => {
    let h: Harness;
    let server: ServerType;
    let browser: Browser;
    let base: string;
    const problems: string[] = [];

    const open = async (width: number): Promise<Page> => {
      const page = await browser.newPage({ viewport: { width, height: 844 } });
      page.on('response', (r) => {
        if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      return page;
    };

    beforeAll(async () => {
      h = await harness({ demo: true });
      // The demo's 33 runs and 40 more from the spring: several pages and months.
      storeManyRuns(h.store, 40, '2026-06-30T06:30:00Z');
      server = await new Promise<ServerType>((resolve) => {
        const s = serve({ fetch: h.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
      });
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      browser = await chromium.launch({ executablePath: CHROMIUM ?? '', args: ARGS });
      fs.mkdirSync(OUT, { recursive: true });
    });

    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => server?.close(resolve));
      h?.store.close();
    });

    it('pages through every run on a 390 px phone without sideways scrolling', async () => {
      const page = await open(390);
      await page.goto(`${base}/`);
      await page.locator('a[href="/runs"]').click();
      await page.waitForURL(/\/runs$/);
      const total = h.store.runs.count();
      const seen = new Set<string>();
      for (;;) {
        expect(await layoutWidth(page)).toBeLessThanOrEqual(390);
        for (const href of await page
          .locator('.run-list a')
          .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))) {
          seen.add(href);
        }
        if (seen.size <= 25)
          await page.screenshot({ path: path.join(OUT, 'runs-390.png'), fullPage: true });
        const older = page.locator('a[rel="next"]');
        if ((await older.count()) === 0) break;
        const box = await older.boundingBox();
        expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
        await Promise.all([page.waitForURL(/page=\d+/), older.click()]);
      }
      expect(seen.size).toBe(total);

      // The month picker narrows the list to one month.
      await page.selectOption('select#month', '2026-06');
      await Promise.all([
        page.waitForURL(/month=2026-06/),
        page.locator('.month-picker button').click(),
      ]);
      expect(await page.locator('h1').textContent()).toBe('Runs in June 2026');
      expect(await page.locator('.run-list a').count()).toBe(15);
      expect(await layoutWidth(page)).toBeLessThanOrEqual(390);
      await page.close();

      const wide = await open(1280);
      await wide.goto(`${base}/runs`);
      await wide.screenshot({ path: path.join(OUT, 'runs-1280.png'), fullPage: true });
      await wide.close();
      expect(problems).toEqual([]);
    });

    it('shows a run page with its charts at 390 and 1280 px', async () => {
      const [run] = h.store.runs.list({ limit: 1 });
      for (const width of [390, 1280]) {
        const page = await open(width);
        await page.goto(`${base}/runs/${encodeURIComponent(run?.id ?? '')}`);
        expect(await page.locator('dl.facts').textContent()).toContain("your watch's file");
        // Pace, step rate and heart rate drawn over the run; the legend shows the latest value.
        await page.locator('[data-series-chart="heart-rate"] canvas').first().waitFor();
        expect(await page.locator('[data-series-chart] canvas').count()).toBe(3);
        expect(await page.locator('details[data-series-fallback]').getAttribute('open')).toBeNull();
        expect(await page.locator('[data-series-chart="pace"] .u-legend').textContent()).toMatch(
          /pace\s*\d+:\d\d \/km/,
        );
        await page.locator('#over-the-run').scrollIntoViewIfNeeded();
        expect(await layoutWidth(page)).toBeLessThanOrEqual(width);
        await page.screenshot({ path: path.join(OUT, `run-${width}.png`), fullPage: true });
        await page.close();
      }
      expect(problems).toEqual([]);
    });

    it('prints the clinician summary to a one-page PDF with its sections', async () => {
      for (const width of [390, 1280]) {
        const page = await open(width);
        await page.goto(`${base}/summary`);
        expect(await layoutWidth(page)).toBeLessThanOrEqual(width);
        await page.screenshot({ path: path.join(OUT, `summary-${width}.png`), fullPage: true });
        await page.close();
      }
      const page = await open(1280);
      await page.goto(`${base}/summary`);
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.no-print').isVisible()).toBe(false);
      const headings = await page.locator('section h2').allTextContents();
      expect(headings).toEqual([
        'Current advice',
        'Weekly distance, change and spikes',
        'Knee pain by knee and place',
        'Red flags and clearances',
        'Sources of the advice',
      ]);
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      fs.writeFileSync(path.join(OUT, 'summary.pdf'), pdf);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
      expect(pages).toHaveLength(1);
      await page.close();
      expect(problems).toEqual([]);
    });
  },
);

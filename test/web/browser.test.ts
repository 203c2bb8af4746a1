import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, NO_CHROMIUM_NOTE, REPO } from '../support/paths.ts';
import { harness, type Harness } from './support.ts';

const HAVE_CHROMIUM = CHROMIUM !== null;
const OUT = path.join(REPO, 'test-output');
if (!HAVE_CHROMIUM) console.warn(`kneecheck browser test${NO_CHROMIUM_NOTE}`);

describe.skipIf(!HAVE_CHROMIUM)(`the dashboard in a real browser${NO_CHROMIUM_NOTE}`, () => {
  let h: Harness;
  let server: ServerType;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    h = await harness({ demo: true });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: h.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM ?? '', args: ['--no-sandbox'] });
    fs.mkdirSync(OUT, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    h?.store.close();
  });

  it('shows the charts, takes a knee check on a run page and shows the advice change', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const problems: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });

    await page.goto(`${base}/`);
    await expect
      .poll(() => page.locator('#advice .badge').getAttribute('data-level'))
      .toBe('ease-off');
    // uPlot draws into canvases once app.js has run; the table fallback folds away.
    await page.locator('[data-chart="step-rate"] canvas').first().waitFor();
    expect(await page.locator('[data-chart] canvas').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('details[data-fallback]').getAttribute('open')).toBeNull();
    expect(await page.locator('svg.bars g.week').count()).toBe(12);
    await page.screenshot({ path: path.join(OUT, 'dashboard.png'), fullPage: true });

    await page.locator('#runs a').first().click();
    await page.waitForURL(/\/runs\//);
    await page.locator('label.pain-6').click();
    // Tapping the front of the left knee's picture ticks "front" of the left knee.
    await page.locator('svg.knee .zone[data-where="left:front"]').click();
    expect(await page.locator('input[name="where"][value="left:front"]').isChecked()).toBe(true);
    expect(await page.locator('input[name="where"][value="right:front"]').isChecked()).toBe(false);
    await page.locator('input[name="swelling"]').check();
    await page.locator('textarea[name="note"]').fill('swollen after the long run');
    await Promise.all([
      page.waitForURL(/saved=\d+/),
      page.locator('#check-form button[type="submit"]').click(),
    ]);
    expect(await page.locator('.saved').textContent()).toContain('pain 6/10');
    expect(await page.locator('#advice .badge').getAttribute('data-level')).toBe('see-doctor');
    expect(await page.locator('#run-checks').textContent()).toContain('swollen after the long run');
    expect(await page.locator('#run-checks .check').first().textContent()).toContain('left knee');
    const api = (await (await fetch(`${base}/api/advice`)).json()) as { level: string };
    expect(api.level).toBe('see-doctor');

    // The dashboard follows, and a phone-sized page keeps the form usable.
    await page.goto(`${base}/`);
    expect(await page.locator('#advice .badge').getAttribute('data-level')).toBe('see-doctor');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('#runs a').first().click();
    await page.waitForURL(/\/runs\//);
    const box = await page.locator('label.pain-10').boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      390,
    );
    await page.screenshot({ path: path.join(OUT, 'run-page-phone.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('works without JavaScript: the form posts and the tables stand in for the charts', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    expect(await page.locator('details[data-fallback]').getAttribute('open')).toBe('');
    expect(await page.locator('[data-chart] canvas').count()).toBe(0);
    await page.locator('#runs a').nth(1).click();
    await page.waitForURL(/\/runs\//);
    await page.locator('label.pain-0').click();
    await Promise.all([
      page.waitForURL(/saved=\d+/),
      page.locator('#check-form button[type="submit"]').click(),
    ]);
    expect(await page.locator('.saved').textContent()).toContain('pain 0/10');
    await context.close();
  });
});

describe.skipIf(!HAVE_CHROMIUM)(`on a 390 px phone, in a real browser${NO_CHROMIUM_NOTE}`, () => {
  let h: Harness;
  let server: ServerType;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    h = await harness({ demo: true });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: h.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM ?? '',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    fs.mkdirSync(OUT, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    h?.store.close();
  });

  const pageWidth = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth');

  it('fits every page in 390 px, with readable charts whose legends show the latest run', async () => {
    const [run] = h.store.runs.list({ limit: 1 });
    const [check] = h.store.checks.list();
    const paths = {
      dashboard: '/',
      run: `/runs/${encodeURIComponent(run?.id ?? '')}`,
      form: '/check',
      edit: `/checks/${check?.id}/edit`,
    };
    for (const width of [390, 1280]) {
      const page = await browser.newPage({ viewport: { width, height: 844 } });
      for (const [name, p] of Object.entries(paths)) {
        await page.goto(`${base}${p}`);
        if (name === 'dashboard')
          await page.locator('[data-chart="step-rate"] canvas').first().waitFor();
        expect(await pageWidth(page), `${name} at ${width} px`).toBeLessThanOrEqual(width);
        await page.screenshot({ path: path.join(OUT, `${name}-${width}.png`), fullPage: true });
      }
      await page.goto(`${base}/`);
      await page.locator('[data-chart="step-rate"] canvas').first().waitFor();
      // The chart is as wide as its card, not a fixed 600 px.
      const chart = await page.locator('[data-chart="step-rate"] canvas').first().boundingBox();
      const card = await page.locator('#stride').boundingBox();
      expect(chart?.width ?? 0).toBeLessThanOrEqual(card?.width ?? 0);
      const legend = (await page.locator('[data-chart="step-rate"] .u-legend').textContent()) ?? '';
      expect(legend).toMatch(/step rate\s*\d+(\.\d)? spm/);
      expect(legend).not.toContain('--');
      // Weekly labels are drawn at their own size, not shrunk with the chart.
      const label = await page.locator('svg.bars text.value').first().boundingBox();
      expect(label?.height ?? 0).toBeGreaterThanOrEqual(10);
      await page.close();
    }
  });

  it('takes the side of a check, then deletes it and brings it back, the advice following', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${base}/check`);
    await page.locator('label.pain-0').click();
    // Tapping the right knee's outside on its picture ticks that box only.
    await page.locator('svg.knee .zone[data-where="right:outside"]').click();
    expect(await page.locator('input[value="right:outside"]').isChecked()).toBe(true);
    expect(await page.locator('input[value="left:outside"]').isChecked()).toBe(false);
    await page.locator('input[name="swelling"]').check();
    await Promise.all([
      page.waitForURL(/\/#advice$/),
      page.locator('#check-form button[type="submit"]').click(),
    ]);
    const first = page.locator('#checks .check').first();
    expect(await first.textContent()).toContain('right knee');
    expect(await page.locator('#advice .badge').getAttribute('data-level')).toBe('see-doctor');
    expect(await page.locator('#advice').textContent()).toContain('swelling in your right knee');

    const del = first.getByRole('button', { name: /Delete knee check/ });
    expect((await del.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(44);
    await Promise.all([page.waitForURL(/deleted=\d+/), del.click()]);
    expect(await page.locator('#undo').textContent()).toContain('Deleted knee check');
    expect(await page.locator('#advice .badge').getAttribute('data-level')).toBe('ease-off');
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(OUT, 'undo-390.png') });
    await Promise.all([
      page.waitForURL(/restored=\d+/),
      page.locator('#undo').getByRole('button', { name: 'Undo' }).click(),
    ]);
    expect(await page.locator('#advice .badge').getAttribute('data-level')).toBe('see-doctor');
    expect(await page.locator('#checks .check').first().textContent()).toContain('right knee');

    // Edit: the form comes filled in; saying it was the left knee after all moves the words.
    await page.locator('#checks .check').first().getByRole('link', { name: /Edit/ }).click();
    expect(await page.locator('input[value="right:outside"]').isChecked()).toBe(true);
    await page.locator('input[value="right:outside"]').uncheck();
    await page.locator('input[value="left:outside"]').check();
    await Promise.all([
      page.waitForURL(/edited=\d+/),
      page.locator('#check-form button[type="submit"]').click(),
    ]);
    expect(await page.locator('#checks .check').first().textContent()).toContain('left knee');
    expect(await page.locator('#advice').textContent()).toContain('swelling in your left knee');
    await page.close();
  });
});

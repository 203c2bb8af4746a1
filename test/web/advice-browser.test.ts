import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, NO_CHROMIUM_NOTE, REPO } from '../support/paths.ts';
import { stateHarness, type AdviceState } from './advice-states.ts';
import type { Harness } from './support.ts';

// Issue 23 follow-up: the advice as a beginner sees it on a phone. The return ladder's plan card
// names today's step in words (not only by colour) and each "Why" opens to its reasons.

const HAVE_CHROMIUM = CHROMIUM !== null;
const OUT = path.join(REPO, 'test-output', 'advice');
/** KNEECHECK_SCREENSHOTS=1 also photographs every state at phone and desktop width. */
const SHOOT = process.env.KNEECHECK_SCREENSHOTS === '1';
if (!HAVE_CHROMIUM) console.warn(`kneecheck advice browser test${NO_CHROMIUM_NOTE}`);

interface Served {
  h: Harness;
  server: ServerType;
  base: string;
}

async function serveState(state: AdviceState): Promise<Served> {
  const h = await stateHarness(state);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: h.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  return { h, server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function close(s: Served | undefined): Promise<void> {
  if (!s) return;
  await new Promise((resolve) => s.server.close(resolve));
  s.h.store.close();
}

describe.skipIf(!HAVE_CHROMIUM)(`the advice in a real browser${NO_CHROMIUM_NOTE}`, () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM ?? '', args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the return ladder on a phone with today’s step marked in words, and opens "Why"', async () => {
    const s = await serveState('ladder-step-2');
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      await page.goto(`${s.base}/`);

      const plan = page.locator('#advice .plan');
      await expect.poll(() => plan.isVisible()).toBe(true);
      const current = plan.locator('ol.steps li[aria-current="step"]');
      expect(await current.count()).toBe(1);
      // Today's step is the second item and says so in words, not only by its colour.
      expect(await plan.locator('ol.steps li').nth(1).getAttribute('aria-current')).toBe('step');
      expect(await current.innerText()).toMatch(/^you are here\b/i);
      expect(await plan.locator('h3').innerText()).toMatch(/step 2 of \d/);
      // The card fits the phone: nothing wider than the viewport.
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect(width).toBeLessThanOrEqual(390);

      const why = page.locator('#advice details.why').first();
      const reasons = why.locator('ul.because');
      expect(await why.getAttribute('open')).toBeNull();
      expect(await reasons.isVisible()).toBe(false);
      await why.locator('summary').click();
      expect(await why.getAttribute('open')).not.toBeNull();
      expect(await reasons.isVisible()).toBe(true);
      expect((await reasons.innerText()).trim().length).toBeGreaterThan(0);
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await close(s);
    }
  });

  it.skipIf(!SHOOT)(
    'photographs each advice state at 390 and 1280 px (KNEECHECK_SCREENSHOTS=1)',
    async () => {
      fs.mkdirSync(OUT, { recursive: true });
      const states: AdviceState[] = ['stop-right-knee', 'ladder-step-2', 'pain-8-days', 'ok'];
      for (const state of states) {
        const s = await serveState(state);
        try {
          const runId = s.h.store.runs.list().at(0)?.id;
          const paths: [string, string][] = [['home', '/']];
          if (runId) paths.push(['run', `/runs/${encodeURIComponent(runId)}`]);
          for (const width of [390, 1280]) {
            const page = await browser.newPage({
              viewport: { width, height: 900 },
              colorScheme: 'light',
            });
            for (const [name, url] of paths) {
              await page.goto(`${s.base}${url}`);
              await page.locator('#advice details.why').first().locator('summary').click();
              await page
                .locator('#advice')
                .screenshot({ path: path.join(OUT, `${state}-${name}-${width}.png`) });
              if (name === 'run')
                await page
                  .locator('#run-checks')
                  .screenshot({ path: path.join(OUT, `${state}-run-checks-${width}.png`) });
              if (width === 390)
                await page.screenshot({
                  path: path.join(OUT, `${state}-${name}-page-390.png`),
                  fullPage: true,
                });
            }
            await page.close();
          }
        } finally {
          await close(s);
        }
      }
    },
  );
});

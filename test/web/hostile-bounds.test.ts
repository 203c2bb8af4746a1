import { describe, expect, it } from 'vitest';
import { TEXT_LIMITS } from '../../src/bounds.ts';
import { loadConfig } from '../../src/config/index.ts';
import { parseThresholds } from '../../src/config/thresholds.ts';
import { DEFAULT_THRESHOLDS } from '../../src/model.ts';
import { CSRF_COOKIE } from '../../src/web/security.ts';
import { formOf, formRequest, harness, jsonRequest, type Harness } from './support.ts';

/** The run page's check form, fetched by the harness's browser (its CSRF cookie kept). */
async function checkForm(h: Harness): Promise<{ csrf: string; action: string }> {
  const [run] = h.store.runs.list({ limit: 1 });
  return formOf(await (await h.app.request(`/runs/${encodeURIComponent(run?.id ?? '')}`)).text());
}
const answers: [string, string][] = [['pain', '0']];
const countChecks = (h: Harness) => h.store.checks.list(Number.MAX_SAFE_INTEGER).length;

describe('state-changing requests from another site are refused (issue 21 item 14)', () => {
  it('a foreign Origin or Origin: null is refused on forms and on the API, even with a valid token', async () => {
    const h = await harness({ demo: true });
    const { csrf, action } = await checkForm(h);
    const before = countChecks(h);
    for (const origin of ['https://evil.example', 'null', 'http://localhost.evil.example']) {
      const req = formRequest([...answers, ['csrf', csrf]]);
      const res = await h.app.request(action, {
        ...req,
        headers: { ...req.headers, Origin: origin },
      });
      expect(res.status, origin).toBe(403);
      const api = jsonRequest({ pain: 0 });
      const apiRes = await h.app.request('/api/checks', {
        ...api,
        headers: { ...api.headers, Origin: origin },
      });
      expect(apiRes.status, origin).toBe(403);
    }
    expect(countChecks(h)).toBe(before);
    // The daemon's own origin, and no Origin at all (curl, a script), are served.
    const req = formRequest([...answers, ['csrf', csrf]]);
    const own = await h.app.request(action, {
      ...req,
      headers: { ...req.headers, Origin: 'http://localhost' },
    });
    expect(own.status).toBe(303);
    expect((await h.app.request('/api/checks', jsonRequest({ pain: 0 }))).status).toBe(201);
    expect(countChecks(h)).toBe(before + 2);
  });

  it('a CSRF token works only in the browser it was given to (its HttpOnly, SameSite=Strict cookie)', async () => {
    const h = await harness({ demo: true });
    const [run] = h.store.runs.list({ limit: 1 });
    const page = await h.app.request(`/runs/${encodeURIComponent(run?.id ?? '')}`);
    const set = page.headers.getSetCookie().find((c) => c.startsWith(`${CSRF_COOKIE}=`)) ?? '';
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Strict/i);
    const { csrf, action } = formOf(await page.text());
    const before = countChecks(h);
    // Another browser (fetch: past the harness's cookie jar): its own cookie, or none.
    for (const cookie of [`${CSRF_COOKIE}=${'0'.repeat(32)}`, 'other=1']) {
      const req = formRequest([...answers, ['csrf', csrf]]);
      const res = await h.app.fetch(
        new Request(`http://localhost${action}`, {
          ...req,
          headers: { ...req.headers, Cookie: cookie },
        }),
      );
      expect(res.status, cookie).toBe(403);
    }
    expect(countChecks(h)).toBe(before);
    expect((await h.app.request(action, formRequest([...answers, ['csrf', csrf]]))).status).toBe(
      303,
    );
  });

  it('GET /strava/connect changes nothing; the button posts a form with its token', async () => {
    const made: string[] = [];
    const h = await harness({
      demo: true,
      deps: {
        strava: {
          isWebhookSecret: () => false,
          challenge: () => null,
          event: () => undefined,
          callback: () => Promise.resolve({ ok: true, message: '' }),
          connectUrl: (back) => {
            made.push(back);
            return `https://strava.test/oauth/authorize?state=${made.length}&redirect_uri=${encodeURIComponent(back)}`;
          },
          connected: () => false,
        },
      },
    });
    const get = await h.app.request('/strava/connect');
    expect(get.status).toBe(200);
    const csrf =
      /action="\/strava\/connect">\s*<input type="hidden" name="csrf" value="([^"]+)"/.exec(
        await get.text(),
      )?.[1];
    expect(made).toEqual([]);
    expect((await h.app.request('/strava/connect', formRequest([['csrf', 'forged']]))).status).toBe(
      403,
    );
    expect(made).toEqual([]);
    const post = await h.app.request('/strava/connect', formRequest([['csrf', csrf ?? '']]));
    expect(post.status).toBe(200);
    expect(await post.text()).toContain('href="https://strava.test/oauth/authorize?state=1');
    expect(made).toEqual(['http://localhost/strava/callback']);
  });
});

describe('one bound per text field, NUL and lone surrogates stripped (issue 21 item 14)', () => {
  it('the web form and the API strip NUL and lone surrogates from a note and keep the rest', async () => {
    const h = await harness({ demo: true });
    const { csrf, action } = await checkForm(h);
    await h.app.request(action, formRequest([...answers, ['csrf', csrf], ['note', 'a\u0000b']]));
    const api = await h.app.request(
      '/api/checks',
      jsonRequest({ pain: 0, note: 'x\uD800y\uDC00z \uD83C\uDFC3' }),
    );
    expect(api.status).toBe(201);
    const notes = h.store.checks.list(Number.MAX_SAFE_INTEGER).map((c) => c.note);
    expect(notes).toContain('ab');
    expect(notes).toContain('xyz \uD83C\uDFC3');
  });

  it(`a note past ${TEXT_LIMITS.note} characters is refused by the API`, async () => {
    const h = await harness({ demo: true });
    const ok = await h.app.request(
      '/api/checks',
      jsonRequest({ pain: 0, note: 'x'.repeat(TEXT_LIMITS.note) }),
    );
    expect(ok.status).toBe(201);
    const long = await h.app.request(
      '/api/checks',
      jsonRequest({ pain: 0, note: 'x'.repeat(TEXT_LIMITS.note + 1) }),
    );
    expect(long.status).toBe(400);
  });
});

describe('KNEECHECK_THRESHOLDS takes only known names, each in its range (issue 21 item 14)', () => {
  it('refuses inherited names, 0, 1e308, NaN, a name twice and pairs out of order', () => {
    for (const bad of [
      '__proto__=1',
      'constructor=1',
      'toString=1',
      'spikeCaution=0',
      'spikeEaseOff=1e308',
      'painDays=NaN',
      'painDays=-1',
      'painDays=7.5',
      'painDays=7,painDays=8',
      'mildPainMax=6,stopPainAbove=5',
      'spikeCaution=2,spikeEaseOff=1.5',
      'painDays=7=8',
    ]) {
      expect(parseThresholds(bad), bad).toBeNull();
      expect(
        () => loadConfig({ env: { KNEECHECK_THRESHOLDS: bad }, envFile: '/nonexistent' }),
        bad,
      ).toThrow(/KNEECHECK_THRESHOLDS/);
    }
  });

  it('takes values in range over the defaults', () => {
    expect(parseThresholds('painDays=10, spikeEaseOff=1.5, comebackShare=0.4')).toEqual({
      ...DEFAULT_THRESHOLDS,
      painDays: 10,
      spikeEaseOff: 1.5,
      comebackShare: 0.4,
    });
    expect(parseThresholds('')).toEqual(DEFAULT_THRESHOLDS);
    expect(Object.getPrototypeOf(parseThresholds('painDays=3'))).toBe(Object.prototype);
  });
});

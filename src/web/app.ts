import { Hono, type Context } from 'hono';
import { recordCheck, recordClearance, type RecordedCheck } from '../checks.ts';
import { KneecheckError } from '../errors.ts';
import { maskWebhookUrl } from '../strava/webhook-secret.ts';
import type { RunId } from '../model.ts';
import { notifyCheck } from '../notify/index.ts';
import { isJsonType, limitBody, mountApi } from './api.ts';
import { serveAsset } from './asset-route.ts';
import { compression } from './compress.ts';
import { CheckInputError, parseCheckForm, type FormFields } from './check-input.ts';
import { mountCorrections } from './corrections.ts';
import { dbTroubleFor, notSavedText } from './db-trouble.ts';
import { mountImport } from './import-routes.ts';
import { h } from './html.ts';
import { changeOf, type ChangeNotice } from './pages/corrections.ts';
import { dashboardPage } from './pages/dashboard.ts';
import { sourcesPage } from './pages/sources.ts';
import { summaryPage } from './pages/summary.ts';
import { page } from './pages/layout.ts';
import type { CheckFormState } from './pages/check-form.ts';
import { kneeNowPage, runNotFoundPage, runPage } from './pages/run.ts';
import { RunsQueryError, parseRunsQuery, runsPage, runsQueryErrorPage } from './pages/runs.ts';
import { Csrf, hostCheck, originCheck, securityHeaders, tokenAuth } from './security.ts';
import { ownOrigins } from './origin.ts';
import { mountShoes } from './shoe-routes.ts';
import { mountStrava } from './strava-routes.ts';
import type { AppDeps } from './types.ts';
import { cleanText, TEXT_LIMITS } from '../bounds.ts';

/** Longest a request waits for the notifications of a check before answering, ms. */
export const ON_CHECK_WAIT_MS = 1500;

/**
 * The daemon's web app (DESIGN §6): dashboard, run pages with the knee-check form, the JSON API
 * (same documents as the CLI's `--json`), Strava's webhook and callback, and /healthz. Beyond
 * loopback every other route needs KNEECHECK_TOKEN; HTML forms carry a CSRF token (DESIGN §8).
 */
export function createApp(deps: AppDeps): Hono {
  const { store, config, log } = deps;
  const app = new Hono();
  const csrf = Csrf.forStore(store, deps.now, log);
  const onCheck = deps.onCheck ?? ((r: RecordedCheck) => notifyCheck(deps, r));
  const trouble = dbTroubleFor(store, log);

  const afterCheck = async (recorded: RecordedCheck): Promise<void> => {
    try {
      const pending = Promise.resolve(onCheck(recorded)).catch((e: unknown) => {
        log.error('web: notifications after a knee check failed', { error: e as Error });
      });
      let timer: NodeJS.Timeout | undefined;
      const wait = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ON_CHECK_WAIT_MS);
        timer.unref();
      });
      await Promise.race([pending, wait]);
      clearTimeout(timer);
    } catch (e) {
      log.error('web: notifications after a knee check failed', { error: e as Error });
    }
  };

  app.use('*', securityHeaders);
  app.use('*', compression);
  app.use('*', hostCheck(config));
  app.use('*', tokenAuth(config));
  app.use(
    '*',
    originCheck(
      (url) => ownOrigins(deps, url),
      (c) =>
        c.html(
          page({
            title: 'Not saved',
            body: h`<section class="card"><h1>Not saved</h1><p>This form has expired or did not come from this page. <a href="/">Back to the dashboard</a>.</p></section>`,
          }),
          403,
        ),
    ),
  );
  app.use('*', csrf.browser());

  app.onError((e, c) => {
    // A full disk or a damaged database: said plainly (and logged once), not a bare 500.
    const problem = trouble.of(e);
    if (problem !== null) return trouble.answer(c, problem);
    log.error('web: request failed', { path: maskWebhookUrl(c.req.path), error: e });
    if (c.req.path.startsWith('/api/'))
      return c.json({ error: 'internal error; see the kneecheck log' }, 500);
    return c.html(
      page({
        title: 'Error',
        body: h`<section class="card"><h1>Something went wrong</h1><p>The error is in the kneecheck log. <a href="/">Back to the dashboard</a>.</p></section>`,
      }),
      500,
    );
  });
  app.notFound((c) => {
    if (c.req.path.startsWith('/api/'))
      return c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404);
    return c.html(
      page({
        title: 'Not found',
        body: h`<section class="card"><h1>Not found</h1><p><a href="/">Back to the dashboard</a>.</p></section>`,
      }),
      404,
    );
  });

  app.get('/assets/:name', (c) => serveAsset(c, c.req.param('name')));

  app.get('/', (c) =>
    c.html(
      dashboardPage(store, config, deps.now(), {
        offerStrava: deps.strava?.connectUrl !== undefined && deps.strava.connected?.() === false,
        csrf: csrf.issue(),
        changed: changeOf(c.req.query()),
      }),
    ),
  );

  app.get('/sources', (c) => c.html(sourcesPage()));

  // The clinician summary (issue 11 part B): the same page as `kneecheck export`'s summary.html.
  app.get('/summary', (c) => c.html(summaryPage(store, config, deps.now())));

  // "A clinician has seen my knee" (the dashboard's button): standing red flags end here.
  app.post('/cleared', limitBody, async (c) => {
    const fields = (await c.req.parseBody()) as Record<string, unknown>;
    const token = typeof fields.csrf === 'string' ? fields.csrf : undefined;
    if (c.req.header('Sec-Fetch-Site') === 'cross-site' || !csrf.verify(token)) {
      log.warn('web: clearance refused (CSRF token missing, wrong or expired)', {
        path: c.req.path,
      });
      return c.html(
        page({
          title: 'Not saved',
          body: h`<section class="card"><h1>Not saved</h1><p>This form has expired or did not come from this page. <a href="/#advice">Back to the dashboard</a> to press the button again.</p></section>`,
        }),
        403,
      );
    }
    const note =
      typeof fields.note === 'string'
        ? cleanText(fields.note).slice(0, TEXT_LIMITS.note) || null
        : null;
    recordClearance(store, config, deps.now(), note);
    return c.redirect('/#advice', 303);
  });

  const showRun = (
    id: string,
    form: CheckFormState,
    saved: number | null,
    status: 200 | 400 | 403 | 503,
    changed: ChangeNotice = {},
  ) => {
    const run = store.runs.get(id as RunId);
    if (!run) return { html: runNotFoundPage(id), status: 404 as const };
    return { html: runPage(store, config, deps.now(), run, form, saved, changed), status };
  };

  // Every run, paged, newest first, optionally one month (issue 11 part B).
  app.get('/runs', (c) => {
    try {
      const r = runsPage(store, config, parseRunsQuery(c.req.query()));
      return c.html(r.html, r.status);
    } catch (e) {
      if (e instanceof RunsQueryError) return c.html(runsQueryErrorPage(e.message), 400);
      throw e;
    }
  });

  app.get('/runs/:id', (c) => {
    // The id of the check just saved (digits only; anything else shows no "saved" note).
    const saved = /^\d{1,12}$/.exec(c.req.query('saved') ?? '')?.[0];
    const r = showRun(
      c.req.param('id'),
      { csrf: csrf.issue() },
      saved === undefined ? null : Number(saved),
      200,
      changeOf(c.req.query()),
    );
    return c.html(r.html, r.status);
  });

  // The HTML form (works without JavaScript): POST, then redirect to the run page (PRG).
  // The same form about no run (GET /check): the knee now, e.g. on a rest day.
  app.get('/check', (c) => c.html(kneeNowPage(store, config, deps.now(), { csrf: csrf.issue() })));
  app.post('/check', limitBody, (c) => postCheck(c, null));
  app.post('/runs/:id/check', limitBody, (c) => postCheck(c, c.req.param('id')));

  async function postCheck(c: Context, id: string | null): Promise<Response> {
    if (isJsonType(c.req.header('Content-Type'))) {
      return c.json({ error: 'use POST /api/checks for JSON' }, 415);
    }
    const fields = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
    const values: FormFields = {};
    for (const [k, v] of Object.entries(fields)) {
      if (typeof v === 'string') values[k] = v;
      else if (Array.isArray(v)) values[k] = v.filter((x): x is string => typeof x === 'string');
    }
    const again = (field: string, message: string, status: 400 | 403 | 503) => {
      const state = { csrf: csrf.issue(), values, error: { field, message } };
      if (id === null) return c.html(kneeNowPage(store, config, deps.now(), state), status);
      const r = showRun(id, state, null, status);
      return c.html(r.html, r.status);
    };
    if (c.req.header('Sec-Fetch-Site') === 'cross-site' || !csrf.verify(values.csrf)) {
      log.warn('web: form post refused (CSRF token missing, wrong or expired)', {
        path: c.req.path,
      });
      return again(
        'csrf',
        'This form has expired or did not come from this page: please answer again and save.',
        403,
      );
    }
    if (id !== null && !store.runs.get(id as RunId)) return c.html(runNotFoundPage(id), 404);
    let recorded: RecordedCheck;
    try {
      recorded = recordCheck(
        store,
        config,
        deps.now(),
        id,
        { ...parseCheckForm(values), via: 'web' },
        id === null,
      );
    } catch (e) {
      if (e instanceof CheckInputError) return again(e.field, e.message, 400);
      if (e instanceof KneecheckError) return again('runId', e.message, 400);
      // A full disk: the answer is not lost, the form comes back with it, to be saved again.
      const problem = trouble.of(e);
      if (problem !== null) return again('save', notSavedText(problem), 503);
      throw e;
    }
    await afterCheck(recorded);
    if (id === null) return c.redirect('/#advice', 303);
    return c.redirect(`/runs/${encodeURIComponent(id)}?saved=${recorded.check.id}#advice`, 303);
  }

  mountCorrections(app, deps, csrf, afterCheck);
  mountApi(app, deps, afterCheck);
  mountStrava(app, deps, csrf);
  mountShoes(app, deps, csrf);
  mountImport(app, deps, csrf);
  return app;
}

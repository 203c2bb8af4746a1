import type { Context, Hono } from 'hono';
import { BOUNDS, wholeNumberIn } from '../present/limits.ts';
import type { RunId } from '../model.ts';
import { limitBody } from './api.ts';
import type { AppDeps } from './types.ts';
import { h } from './html.ts';
import { page, runHref } from './pages/layout.ts';
import { shoesPage } from './pages/shoes.ts';
import type { Csrf } from './security.ts';
import { cleanText, TEXT_LIMITS } from '../bounds.ts';

/**
 * Shoes on the web (issue 11 part B): `GET /shoes`, `POST /shoes` (add a pair),
 * `POST /shoes/default` and `POST /runs/:id/shoe` (the pair of a run). Plain forms with a CSRF
 * token, each answered with a redirect (works without JavaScript).
 */
export function mountShoes(app: Hono, deps: AppDeps, csrf: Csrf): void {
  const { store, config, log } = deps;

  const fields = async (c: Context): Promise<Record<string, string> | null> => {
    const body = (await c.req.parseBody()) as Record<string, unknown>;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
    if (c.req.header('Sec-Fetch-Site') === 'cross-site' || !csrf.verify(out.csrf)) {
      log.warn('web: shoes form refused (CSRF token missing, wrong or expired)', {
        path: c.req.path,
      });
      return null;
    }
    return out;
  };
  const expired = (c: Context, back: string) =>
    c.html(
      page({
        title: 'Not saved',
        body: h`<section class="card"><h1>Not saved</h1><p>This form has expired or did not come from this page. <a href="${back}">Go back</a> and send it again.</p></section>`,
      }),
      403,
    );

  app.get('/shoes', (c) => c.html(shoesPage(store, config, csrf.issue())));

  app.post('/shoes', limitBody, async (c) => {
    const f = await fields(c);
    if (!f) return expired(c, '/shoes');
    const name = cleanText(f.name ?? '').slice(0, TEXT_LIMITS.shoeName);
    const since = f.since ?? '';
    const error = !name
      ? 'Name: give the pair a name, e.g. "blue Pegasus".'
      : !/^\d{4}-\d\d-\d\d$/.test(since)
        ? 'First run in them: a date such as 2026-09-01.'
        : null;
    if (error) return c.html(shoesPage(store, config, csrf.issue(), { error }), 400);
    store.shoes.add(
      { name, startedOn: since, isDefault: f.default === 'on' },
      deps.now().toISOString(),
    );
    return c.redirect('/shoes', 303);
  });

  app.post('/shoes/default', limitBody, async (c) => {
    const f = await fields(c);
    if (!f) return expired(c, '/shoes');
    const id = wholeNumberIn(f.shoe ?? '', BOUNDS.shoeId);
    if (id === null || !store.shoes.setDefault(id)) {
      return c.html(shoesPage(store, config, csrf.issue(), { error: 'No such pair.' }), 400);
    }
    return c.redirect('/shoes', 303);
  });

  app.post('/runs/:id/shoe', limitBody, async (c) => {
    const runId = c.req.param('id') as RunId;
    const back = runHref(runId);
    const f = await fields(c);
    if (!f) return expired(c, back);
    if (!store.runs.get(runId)) return c.notFound();
    const id = f.shoe === 'none' ? null : wholeNumberIn(f.shoe ?? '', BOUNDS.shoeId);
    if (f.shoe !== 'none' && (id === null || !store.shoes.get(id))) {
      return c.html(
        page({
          title: 'Not saved',
          body: h`<section class="card"><h1>Not saved</h1><p>There is no such pair. <a href="${back}">Back to the run</a>.</p></section>`,
        }),
        400,
      );
    }
    store.shoes.assign(runId, id, 'user');
    return c.redirect(`${back}#run-shoe`, 303);
  });
}

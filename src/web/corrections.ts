import type { Context, Hono } from 'hono';
import {
  deleteCheck,
  editCheck,
  setRunExcluded,
  undoDelete,
  type RecordedCheck,
} from '../checks.ts';
import { KneecheckError } from '../errors.ts';
import { unixOfLocal } from '../load/zone.ts';
import type { Advice, Run } from '../model.ts';
import type { AppDeps } from './types.ts';
import { isJsonType, limitBody } from './api.ts';
import { CheckInputError, parseCheckForm, patchCheckJson, type FormFields } from './check-input.ts';
import { h } from './html.ts';
import { editCheckPage, fieldsOf as fieldsOfCheck, homeOf, safeBack } from './pages/corrections.ts';
import { page } from './pages/layout.ts';
import type { Csrf } from './security.ts';
import { cleanText, TEXT_LIMITS } from '../bounds.ts';
import { dbTroubleFor, notSavedText } from './db-trouble.ts';

/** What a change did to the advice; the notifications read only these three. */
interface Change {
  run: Run | null;
  before: Advice;
  advice: Advice;
}

const CHECK_ID = /^\d{1,12}$/;

/**
 * Corrections (issue 11): the JSON routes `GET /api/checks`, `PATCH`/`DELETE /api/checks/:id`
 * (JSON only, as `POST /api/checks`) and the HTML forms (CSRF-protected, POST-redirect-GET) to
 * edit, delete and undo a check and to leave a run out or count it again. Every change
 * re-evaluates the advice and `afterChange` tells a worse level as after a new check.
 */
export function mountCorrections(
  app: Hono,
  deps: AppDeps,
  csrf: Csrf,
  afterCheck: (recorded: RecordedCheck) => Promise<void>,
): void {
  const { store, config, log } = deps;
  // `notifyCheck` (behind afterCheck) reads only run, before and advice.
  const afterChange = (c: Change) => afterCheck(c as RecordedCheck);

  app.get('/api/checks', (c) => {
    const since = c.req.query('since');
    const sinceUnix = since === undefined ? undefined : unixOfLocal(since, config.timezone);
    if (sinceUnix === null) {
      return c.json(
        { error: `since: expected a date like 2026-11-01, got ${JSON.stringify(since)}` },
        400,
      );
    }
    const all = store.checks.list(Math.floor(deps.now().getTime() / 1000));
    return c.json(
      sinceUnix === undefined
        ? all
        : all.filter((k) => Date.parse(k.checkedAt) / 1000 >= sinceUnix),
    );
  });

  const noCheck = (c: Context, id: string) =>
    c.json({ error: `no check with the id ${JSON.stringify(id)}`, field: 'id' }, 404);

  // Like POST /api/checks: a cross-site page cannot send JSON (or PATCH, DELETE) without a
  // CORS preflight, which is never granted here.
  app.patch('/api/checks/:id', limitBody, async (c) => {
    const id = c.req.param('id');
    if (!isJsonType(c.req.header('Content-Type'))) {
      return c.json(
        { error: 'Content-Type: expected application/json', field: 'Content-Type' },
        415,
      );
    }
    const current = CHECK_ID.test(id) ? store.checks.get(Number(id)) : null;
    if (!current) return noCheck(c, id);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: 'body: expected a JSON object', field: 'body' }, 400);
    }
    try {
      const r = editCheck(store, config, deps.now(), current.id, patchCheckJson(body, current));
      await afterChange(r);
      return c.json({ check: r.value, advice: r.advice });
    } catch (e) {
      if (e instanceof CheckInputError) return c.json({ error: e.message, field: e.field }, 400);
      throw e;
    }
  });

  app.delete('/api/checks/:id', async (c) => {
    const id = c.req.param('id');
    const type = c.req.header('Content-Type');
    if (type !== undefined && !isJsonType(type)) {
      return c.json(
        { error: 'Content-Type: expected application/json or none', field: 'Content-Type' },
        415,
      );
    }
    const current = CHECK_ID.test(id) ? store.checks.get(Number(id)) : null;
    if (!current) return noCheck(c, id);
    const r = deleteCheck(store, config, deps.now(), current.id);
    await afterChange({ ...r, run: current.runId ? store.runs.get(current.runId) : null });
    return c.json({ check: r.value, advice: r.advice });
  });

  // The HTML forms. A refused token gets a page saying so, never a change.
  const fieldsOf = async (c: Context): Promise<FormFields> => {
    const fields = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
    const values: FormFields = {};
    for (const [k, v] of Object.entries(fields)) {
      if (typeof v === 'string') values[k] = v;
      else if (Array.isArray(v)) values[k] = v.filter((x): x is string => typeof x === 'string');
    }
    return values;
  };
  const one = (v: FormFields[string]) => (Array.isArray(v) ? v[0] : v);
  const refused = (c: Context, values: FormFields): Response | null => {
    if (c.req.header('Sec-Fetch-Site') !== 'cross-site' && csrf.verify(one(values.csrf))) {
      return null;
    }
    log.warn('web: correction refused (CSRF token missing, wrong or expired)', {
      path: c.req.path,
    });
    return c.html(
      page({
        title: 'Not saved',
        body: h`<section class="card"><h1>Not saved</h1><p>This form has expired or did not come from this page. <a href="/">Back to the dashboard</a> to try again.</p></section>`,
      }),
      403,
    );
  };
  const missing = (c: Context) =>
    c.html(
      page({
        title: 'No such check',
        body: h`<section class="card"><h1>No such check</h1><p>It may have been deleted already. <a href="/">Back to the dashboard</a>.</p></section>`,
      }),
      404,
    );
  const withParam = (back: string, key: string, id: number, anchor: string) =>
    `${back}?${key}=${id}#${anchor}`;

  app.get('/checks/:id/edit', (c) => {
    const id = c.req.param('id');
    const check = CHECK_ID.test(id) ? store.checks.get(Number(id)) : null;
    if (!check) return missing(c);
    return c.html(
      editCheckPage(store, config, deps.now(), check, {
        csrf: csrf.issue(),
        values: fieldsOfCheck(check),
      }),
    );
  });

  app.post('/checks/:id/edit', limitBody, async (c) => {
    const id = c.req.param('id');
    const check = CHECK_ID.test(id) ? store.checks.get(Number(id)) : null;
    if (!check) return missing(c);
    const values = await fieldsOf(c);
    const again = (field: string, message: string, status: 400 | 403 | 503) =>
      c.html(
        editCheckPage(store, config, deps.now(), check, {
          csrf: csrf.issue(),
          values,
          error: { field, message },
        }),
        status,
      );
    if (refused(c, values)) {
      return again(
        'csrf',
        'This form has expired or did not come from this page: please answer again and save.',
        403,
      );
    }
    try {
      const r = editCheck(store, config, deps.now(), check.id, parseCheckForm(values));
      await afterChange(r);
    } catch (e) {
      if (e instanceof CheckInputError) return again(e.field, e.message, 400);
      // A full disk: the correction comes back in its form, as typed, to be saved again.
      const problem = dbTroubleFor(store, deps.log).of(e);
      if (problem !== null) return again('save', notSavedText(problem), 503);
      throw e;
    }
    return c.redirect(withParam(homeOf(check), 'edited', check.id, 'advice'), 303);
  });

  app.post('/checks/:id/delete', limitBody, async (c) => {
    const id = c.req.param('id');
    const values = await fieldsOf(c);
    const no = refused(c, values);
    if (no) return no;
    const check = CHECK_ID.test(id) ? store.checks.get(Number(id)) : null;
    if (!check) return missing(c);
    const r = deleteCheck(store, config, deps.now(), check.id);
    await afterChange({ ...r, run: check.runId ? store.runs.get(check.runId) : null });
    return c.redirect(withParam(safeBack(one(values.back)), 'deleted', check.id, 'undo'), 303);
  });

  app.post('/checks/undo', limitBody, async (c) => {
    const values = await fieldsOf(c);
    const no = refused(c, values);
    if (no) return no;
    const back = safeBack(one(values.back));
    try {
      const r = undoDelete(store, config, deps.now());
      const run = r.value.runId ? store.runs.get(r.value.runId) : null;
      await afterChange({ ...r, run });
      return c.redirect(withParam(back, 'restored', r.value.id, 'advice'), 303);
    } catch (e) {
      if (e instanceof KneecheckError) return c.redirect(`${back}#advice`, 303);
      throw e;
    }
  });

  for (const exclude of [true, false]) {
    app.post(`/runs/:id/${exclude ? 'exclude' : 'include'}`, limitBody, async (c) => {
      const values = await fieldsOf(c);
      const no = refused(c, values);
      if (no) return no;
      const id = c.req.param('id');
      const reason =
        cleanText(one(values.reason) ?? '').slice(0, TEXT_LIMITS.reason) || 'left out by you';
      try {
        const r = setRunExcluded(store, config, deps.now(), id, exclude ? { reason } : null);
        await afterChange({ ...r, run: r.value });
        return c.redirect(`/runs/${encodeURIComponent(r.value.id)}#counting`, 303);
      } catch (e) {
        if (e instanceof KneecheckError) return c.notFound();
        throw e;
      }
    });
  }
}

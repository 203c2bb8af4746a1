import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { recordCheck, type RecordedCheck } from '../checks.ts';
import { KneecheckError, dbProblemText } from '../errors.ts';
import { currentAdvice } from '../history.ts';
import type { RunId } from '../model.ts';
import type { AppDeps } from './types.ts';
import { CheckInputError, parseCheckJson } from './check-input.ts';
import { dbTroubleFor } from './db-trouble.ts';
import { QueryError, reportJson, runsJson } from './data.ts';

/** Largest request body accepted by the POST routes, bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

export const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: (c) => c.json({ error: `body: larger than ${MAX_BODY_BYTES} bytes` }, 413),
});

/** Media type application/json (with or without parameters such as charset). */
export const isJsonType = (contentType: string | undefined): boolean =>
  /^application\/json\s*(;|$)/i.test(contentType ?? '');

/**
 * The JSON API (DESIGN §6): the same documents as the CLI's `--json`. `afterCheck` runs the
 * notifications for a recorded check.
 */
export function mountApi(
  app: Hono,
  deps: AppDeps,
  afterCheck: (recorded: RecordedCheck) => Promise<void>,
): void {
  const { store, config } = deps;
  const trouble = dbTroubleFor(store, deps.log);

  app.get('/api/runs', (c) => {
    try {
      return c.json(
        runsJson(store, config, { since: c.req.query('since'), limit: c.req.query('limit') }),
      );
    } catch (e) {
      if (e instanceof QueryError) return c.json({ error: e.message }, 400);
      throw e;
    }
  });

  app.get('/api/report', (c) => {
    try {
      return c.json(reportJson(store, config, deps.now(), c.req.query('weeks')));
    } catch (e) {
      if (e instanceof QueryError) return c.json({ error: e.message }, 400);
      throw e;
    }
  });

  app.get('/api/advice', (c) => c.json(currentAdvice(store, config, deps.now())));

  // Browsers cannot send application/json cross-site without a CORS preflight (never granted
  // here), so the media type is this route's CSRF protection; ntfy's one-tap actions send it.
  app.post('/api/checks', limitBody, async (c) => {
    if (!isJsonType(c.req.header('Content-Type'))) {
      return c.json(
        { error: 'Content-Type: expected application/json', field: 'Content-Type' },
        415,
      );
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: 'body: expected a JSON object', field: 'body' }, 400);
    }
    let recorded: RecordedCheck;
    try {
      const { runId, input } = parseCheckJson(body);
      if (runId !== null && !store.runs.get(runId as RunId)) {
        return c.json(
          { error: `runId: no run with the id ${JSON.stringify(runId)}`, field: 'runId' },
          404,
        );
      }
      recorded = recordCheck(store, config, deps.now(), runId, { ...input, via: 'api' });
    } catch (e) {
      if (e instanceof CheckInputError) return c.json({ error: e.message, field: e.field }, 400);
      if (e instanceof KneecheckError) return c.json({ error: e.message, field: 'runId' }, 400);
      const problem = trouble.of(e);
      if (problem !== null) {
        // Nothing was stored: the sender keeps the answer and sends it again later.
        c.header('Retry-After', '60');
        return c.json({ error: `not saved: ${dbProblemText(problem)}`, retry: true }, 503);
      }
      throw e;
    }
    await afterCheck(recorded);
    // A form sent twice within a minute is one check: the second answer is the first check.
    return c.json(
      { check: recorded.check, advice: recorded.advice },
      recorded.duplicate ? 200 : 201,
    );
  });

  app.get('/healthz', (c) => {
    let database: string;
    try {
      store.ping();
      database = 'ok';
    } catch (e) {
      // A damaged page, a full disk: what is wrong and what to do (logged once), not SQLite's words.
      const problem = trouble.of(e);
      database = `error: ${problem === null ? (e as Error).message : dbProblemText(problem)}`;
    }
    let parts: Record<string, unknown>;
    try {
      parts = deps.health?.() ?? {};
    } catch (e) {
      parts = { health: `error: ${(e as Error).message}` };
    }
    const ok = database === 'ok' && parts.ok !== false;
    const status = database === 'ok' ? 200 : 503;
    // When the token is required, tokenAuth (security.ts) has already refused a request without it.
    return c.json({ ...parts, ok, database }, status);
  });
}

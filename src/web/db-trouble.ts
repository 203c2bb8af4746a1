import type { Context } from 'hono';
import { dbProblemOf, dbProblemText, onDisk, type DbProblem } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/index.ts';
import { h } from './html.ts';
import { page } from './pages/layout.ts';

/**
 * The web's words for a database that cannot answer (a full disk, a read-only or damaged file:
 * issue 21 items 5, 9): the user is told plainly what is wrong and what to do (503, not a bare
 * 500), and the log says it once per kind of problem, not once per request.
 */
export class DbTrouble {
  readonly #log: Logger;
  readonly #said = new Set<DbProblem>();

  constructor(log: Logger) {
    this.#log = log;
  }

  /** The problem `e` stands for (as it is on the disk), said in the log the first time; or null. */
  of(e: unknown): DbProblem | null {
    const raw = dbProblemOf(e);
    if (raw === null) return null;
    const problem = onDisk(raw);
    if (!this.#said.has(problem)) {
      this.#said.add(problem);
      this.#log.error(`web: the database cannot answer: ${dbProblemText(problem)}`, {
        problem,
        error: e instanceof Error ? e.message : String(e),
      });
    }
    return problem;
  }

  /** The answer to a request that met `problem`: JSON under /api/, else a page; 503. */
  answer(c: Context, problem: DbProblem): Response {
    const text = dbProblemText(problem);
    c.header('Retry-After', '60');
    if (c.req.path.startsWith('/api/') || c.req.path === '/healthz') {
      return c.json({ error: text }, 503);
    }
    return c.html(
      page({
        title: 'Database problem',
        body: h`<section class="card"><h1>kneecheck cannot use its database</h1><p>${upper(text)}</p><p><a href="/">Back to the dashboard</a>.</p></section>`,
      }),
      503,
    );
  }
}

const upper = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const byStore = new WeakMap<Store, DbTrouble>();

/** The one {@link DbTrouble} of the web app over `store` (so each problem is logged once). */
export function dbTroubleFor(store: Store, log: Logger): DbTrouble {
  let t = byStore.get(store);
  if (!t) {
    t = new DbTrouble(log);
    byStore.set(store, t);
  }
  return t;
}

/** The sentence of a form that could not be saved for `problem`: what is wrong, and that what was typed is kept. */
export function notSavedText(problem: DbProblem): string {
  return `Not saved: ${dbProblemText(problem)} What you entered is still in the form: press Save again once that is done.`;
}

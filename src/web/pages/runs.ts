import { DateTime } from 'luxon';
import { BOUNDS, boundMessage, wholeNumberIn } from '../../present/limits.ts';
import type { Config } from '../../config/index.ts';
import { formatDistance, formatDuration, formatPace } from '../../format.ts';
import type { Run } from '../../model.ts';
import { excludedText, runTypeShort } from '../../present/run-words.ts';
import type { Store } from '../../store/index.ts';
import { h, type Safe } from '../html.ts';
import { page, runHref } from './layout.ts';

/** Runs per page of `GET /runs`. */
export const RUNS_PER_PAGE = 25;

/** The `GET /runs` query: a month in the runner's zone (or all) and a page, 1 = newest. */
export interface RunsQuery {
  /** `yyyy-MM`, or null for every month. */
  month: string | null;
  page: number;
}

/** A `?month=` or `?page=` value that cannot be used; the message names it and the form. */
export class RunsQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunsQueryError';
  }
}

/** Reads `?month=2026-11&page=2`; empty values mean "all months" and page 1. */
export function parseRunsQuery(q: {
  month?: string | undefined;
  page?: string | undefined;
}): RunsQuery {
  let month: string | null = null;
  if (q.month !== undefined && q.month !== '') {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(q.month)) {
      throw new RunsQueryError(
        `month: expected a month such as 2026-11, got ${JSON.stringify(q.month.slice(0, 40))}`,
      );
    }
    month = q.month;
  }
  let pageNo = 1;
  if (q.page !== undefined && q.page !== '') {
    const n = wholeNumberIn(q.page, BOUNDS.page);
    if (n === null) throw new RunsQueryError(boundMessage('page', BOUNDS.page, q.page));
    pageNo = n;
  }
  return { month, page: pageNo };
}

/** The first and last second of a month in `zone`. */
function monthRange(month: string, zone: string): { since: number; until: number } {
  const start = DateTime.fromISO(`${month}-01`, { zone });
  return {
    since: Math.floor(start.toSeconds()),
    until: Math.floor(start.plus({ months: 1 }).toSeconds()) - 1,
  };
}

const monthName = (month: string): string => DateTime.fromISO(`${month}-01`).toFormat('LLLL yyyy');

/** `/runs?month=…&page=…`, leaving out what is the default. */
export function runsHref(q: Partial<RunsQuery>): string {
  const params = new URLSearchParams();
  if (q.month) params.set('month', q.month);
  if (q.page !== undefined && q.page > 1) params.set('page', String(q.page));
  const s = params.toString();
  return s ? `/runs?${s}` : '/runs';
}

function runItem(r: Run, units: Config['units']): Safe {
  const start = DateTime.fromISO(r.startTime, { setZone: true });
  const type = runTypeShort(r);
  const excluded = excludedText(r);
  return h`<li class="run-item${excluded ? ' excluded' : ''}">
  <a href="${runHref(r.id)}">
  <span class="when"><time datetime="${r.startTime}">${start.toFormat('ccc d LLL, HH:mm')}</time></span>
  <span class="dist">${formatDistance(r.distanceM, units)}</span>
  <span class="time">${formatDuration(r.movingTimeS ?? r.elapsedTimeS)}</span>
  <span class="pace">${formatPace(r.avgSpeedMps, units)}</span>
  <span class="tags">${type ? h`<span class="tag type">${type}</span>` : ''}${excluded ? h`<span class="tag excluded" title="${excluded}">excluded</span>` : ''}</span>
  </a>
</li>`;
}

/** The month picker: a plain GET form (works without JavaScript). */
function monthPicker(months: { month: string; runs: number }[], current: string | null): Safe {
  return h`<form class="month-picker" method="get" action="/runs">
  <label for="month">Month</label>
  <select id="month" name="month">
    <option value=""${current === null ? h` selected` : ''}>All months</option>
    ${months.map(
      (m) =>
        h`<option value="${m.month}"${m.month === current ? h` selected` : ''}>${monthName(m.month)} (${m.runs})</option>`,
    )}
  </select>
  <button type="submit" class="button">Show</button>
</form>`;
}

/**
 * `GET /runs`: every stored run, newest first, {@link RUNS_PER_PAGE} a page, optionally one month
 * (in the runner's zone). Excluded runs are listed and marked.
 */
export function runsPage(
  store: Store,
  config: Config,
  q: RunsQuery,
): { html: string; status: 200 | 404 } {
  const zone = config.timezone;
  const range = q.month ? monthRange(q.month, zone) : null;
  const since = range?.since ?? Number.MIN_SAFE_INTEGER;
  const until = range?.until ?? Number.MAX_SAFE_INTEGER;
  const total = store.runs.countBetween(since, until);
  const pages = Math.max(1, Math.ceil(total / RUNS_PER_PAGE));
  const runs = store.runs.list({
    sinceUnix: since,
    untilUnix: until,
    limit: RUNS_PER_PAGE,
    offset: (q.page - 1) * RUNS_PER_PAGE,
  });
  const months = store.runs.months((s) => DateTime.fromSeconds(s, { zone }).toFormat('yyyy-MM'));
  const title = q.month ? `Runs in ${monthName(q.month)}` : 'All runs';

  // Group the page's runs under their month (in the runner's zone).
  const groups: { month: string; runs: Run[] }[] = [];
  for (const r of runs) {
    const m = DateTime.fromISO(r.startTime).setZone(zone).toFormat('yyyy-MM');
    const last = groups.at(-1);
    if (last?.month === m) last.runs.push(r);
    else groups.push({ month: m, runs: [r] });
  }

  const first = (q.page - 1) * RUNS_PER_PAGE + 1;
  const pager =
    pages > 1
      ? h`<nav class="pager" aria-label="Pages">
  ${q.page > 1 ? h`<a class="button" rel="prev" href="${runsHref({ month: q.month, page: q.page - 1 })}">← Newer</a>` : h`<span></span>`}
  <span class="muted">Page ${q.page} of ${pages}</span>
  ${q.page < pages ? h`<a class="button" rel="next" href="${runsHref({ month: q.month, page: q.page + 1 })}">Older →</a>` : h`<span></span>`}
</nav>`
      : '';

  let list: Safe;
  if (total === 0 && store.runs.count() === 0) {
    list = h`<p class="muted">No runs yet. <a href="/">The dashboard</a> explains how to add them.</p>`;
  } else if (total === 0) {
    list = h`<p class="muted">No runs in ${q.month ? monthName(q.month) : 'this period'}. <a href="/runs">All runs</a></p>`;
  } else if (runs.length === 0) {
    list = h`<p class="muted">There is no page ${q.page}: ${total} runs make ${pages} page${pages === 1 ? '' : 's'}. <a href="${runsHref({ month: q.month, page: pages })}">Last page</a></p>`;
  } else {
    list = h`<p class="muted small">${first}–${first + runs.length - 1} of ${total} runs, newest first. Open a run for its details and knee check.</p>
${groups.map(
  (g) => h`<h2 class="month">${monthName(g.month)}</h2>
<ol class="run-list">${g.runs.map((r) => runItem(r, config.units))}</ol>`,
)}
${pager}`;
  }
  const body = h`<p class="crumbs"><a href="/">← Dashboard</a></p>
<section class="card runs-page" id="all-runs">
  <h1>${title}</h1>
  ${months.length > 0 ? monthPicker(months, q.month) : ''}
  ${list}
</section>`;
  const missingPage = total > 0 && runs.length === 0;
  return { html: page({ title, body }), status: missingPage ? 404 : 200 };
}

/** The page for a `/runs` query that cannot be used (400). */
export function runsQueryErrorPage(message: string): string {
  return page({
    title: 'Runs',
    body: h`<section class="card"><h1>Cannot show these runs</h1><p class="error" role="alert">${message}</p><p><a href="/runs">All runs</a></p></section>`,
  });
}

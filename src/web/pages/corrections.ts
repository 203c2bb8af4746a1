import type { Config } from '../../config/index.ts';
import { kneeWords } from '../../format.ts';
import { currentAdvice } from '../../history.ts';
import type { KneeCheck, Run } from '../../model.ts';
import type { Store } from '../../store/index.ts';
import { FLAG_FIELDS, whereValue, type FormFields } from '../check-input.ts';
import { h, type Safe } from '../html.ts';
import { adviceCard, page, runHref, when } from './layout.ts';
import { checkForm, type CheckFormState } from './check-form.ts';
import { TEXT_LIMITS } from '../../bounds.ts';

/** Where a correction returns to: the dashboard or a run page (never another site). */
export function safeBack(back: unknown): string {
  if (typeof back !== 'string') return '/';
  return /^\/(runs\/[A-Za-z0-9%:._-]{1,200})?$/.test(back) ? back : '/';
}

/** The page a check is shown on: its run's page, or the dashboard for a check without a run. */
export const homeOf = (c: Pick<KneeCheck, 'runId'>): string => (c.runId ? runHref(c.runId) : '/');

/** The form fields of a stored check, to fill the correction form with. */
export function fieldsOf(c: KneeCheck): FormFields {
  const sides = c.knee === 'both' ? (['left', 'right'] as const) : c.knee ? [c.knee] : [];
  const v: FormFields = {
    pain: String(c.pain),
    where: sides.flatMap((s) => c.where.map((l) => whereValue(s, l))),
    note: c.note ?? '',
  };
  for (const f of FLAG_FIELDS) if (c[f]) v[f] = 'on';
  return v;
}

/** Edit and delete beside one check of a timeline (plain links and forms: no JavaScript). */
export function checkActions(c: KneeCheck, csrf: string, back: string): Safe {
  return h`<span class="actions">
  <a class="button small" href="/checks/${c.id}/edit" aria-label="Edit knee check ${c.id}">Edit</a>
  <form method="post" action="/checks/${c.id}/delete" class="inline">
    <input type="hidden" name="csrf" value="${csrf}">
    <input type="hidden" name="back" value="${back}">
    <button type="submit" class="button small" aria-label="Delete knee check ${c.id}">Delete this check</button>
  </form>
</span>`;
}

/** After a delete: says so, with an Undo button (it brings the last deleted check back). */
export function undoBanner(id: number, csrf: string, back: string): Safe {
  return h`<section class="card undo" role="status" id="undo">
  <p>Deleted knee check ${id}; the advice below no longer counts it.</p>
  <form method="post" action="/checks/undo" class="inline">
    <input type="hidden" name="csrf" value="${csrf}">
    <input type="hidden" name="back" value="${back}">
    <button type="submit" class="button">Undo</button>
  </form>
</section>`;
}

/** What the page was redirected after: a check deleted, corrected or brought back (ids). */
export interface ChangeNotice {
  deleted?: number;
  edited?: number;
  restored?: number;
}

/** The notice in a page's query (`?deleted=12`); digits only, anything else is ignored. */
export function changeOf(query: Record<string, string | undefined>): ChangeNotice {
  const out: ChangeNotice = {};
  for (const k of ['deleted', 'edited', 'restored'] as const) {
    const v = query[k];
    if (v !== undefined && /^\d{1,12}$/.test(v)) out[k] = Number(v);
  }
  return out;
}

/** The banner for a change: the undo after a delete, a line after a correction or an undo. */
export function changeBanner(n: ChangeNotice, csrf: string, back: string): Safe {
  if (n.deleted !== undefined) return undoBanner(n.deleted, csrf, back);
  const text =
    n.edited !== undefined
      ? `Saved your correction to knee check ${n.edited}.`
      : n.restored !== undefined
        ? `Brought back knee check ${n.restored}.`
        : null;
  return text === null
    ? h``
    : h`<p class="saved" role="status" id="changed">${text} The advice below counts it.</p>`;
}

/** `GET /checks/:id/edit`: the check form, filled with the stored answers. */
export function editCheckPage(
  store: Store,
  config: Config,
  now: Date,
  check: KneeCheck,
  form: CheckFormState,
): string {
  const run = check.runId ? store.runs.get(check.runId) : null;
  const about = run ? `about the run of ${when(run.startTime, config.timezone)}` : 'without a run';
  const notice =
    check.knee === null && check.where.length > 0
      ? `This check did not say which knee (it said: ${check.where.join(', ')}). Tick the places on the knee it was.`
      : undefined;
  const body = h`<p class="crumbs"><a href="${homeOf(check)}">← Back</a></p>
<p class="muted small">Correcting knee check ${check.id} of ${when(check.checkedAt, config.timezone)}, ${about} (${kneeWords(check.knee)}). Only the answers change: the time and the run stay.</p>
${checkForm(`/checks/${check.id}/edit`, { ...form, notice: form.notice ?? notice }, 'Correct your knee check', 'Save the correction')}
${adviceCard(currentAdvice(store, config, now), config.timezone)}`;
  return page({ title: 'Correct a knee check', body });
}

/**
 * Whether a run counts, with the button that changes it (a form with the CSRF token, like the
 * clearance): an excluded run stays listed and counts in no metric.
 */
export function runCounting(run: Run, csrf: string): Safe {
  const x = run.excluded;
  if (!x) {
    return h`<details class="card counting" id="counting">
  <summary>Leave this run out of every metric</summary>
  <p class="muted small">A run with a wrong clock, or a file that is not really a run (a heart-rate strap's), can be left out: it stays listed, and counts in no weekly figure, ratio or advice.</p>
  <form method="post" action="${runHref(run.id)}/exclude" class="exclude">
    <input type="hidden" name="csrf" value="${csrf}">
    <label for="exclude-reason">Why (optional)</label>
    <input id="exclude-reason" name="reason" type="text" maxlength="${TEXT_LIMITS.reason}" autocomplete="off" placeholder="e.g. the watch clock was wrong">
    <button type="submit" class="button">Leave this run out</button>
  </form>
</details>`;
  }
  return h`<section class="card counting excluded" id="counting">
  <h2>Left out of every metric</h2>
  <p>${x.by === 'user' ? 'You left this run out' : 'kneecheck left this run out'}: ${x.reason}. It stays listed but counts in no weekly figure, ratio or advice.</p>
  <form method="post" action="${runHref(run.id)}/include">
    <input type="hidden" name="csrf" value="${csrf}">
    <button type="submit" class="button">Count this run again</button>
  </form>
</section>`;
}

import { formatDistance, formatDuration, formatPace, formatStart } from '../../format.ts';
import { currentAdvice } from '../../history.ts';
import { KNEE_LOCATIONS, type KneeLocation, type Run } from '../../model.ts';
import type { Config } from '../../config/index.ts';
import type { Store } from '../../store/index.ts';
import { FLAG_FIELDS, MAX_NOTE_CHARS, whereValue, type FormFields } from '../check-input.ts';
import { h, type Safe } from '../html.ts';
import { changeBanner, checkActions, runCounting, type ChangeNotice } from './corrections.ts';
import { spikeOf } from '../../load/spike.ts';
import { FLAG_LABELS, adviceCard, checkItem, formatStepLength, page, runHref } from './layout.ts';
import { runOriginRows, runSeriesSection } from './run-facts.ts';
import { runShoeForm } from './shoes.ts';

const WHERE_TEXT: Record<KneeLocation, string> = {
  front: 'around or behind the kneecap',
  inside: 'on the side facing the other knee',
  outside: 'on the outer side of the knee',
  back: 'in the hollow behind the knee',
};

/**
 * A simple picture of one knee seen from above, for the four places (illustration only). Front
 * (the kneecap) is at the top; the inside faces the other knee, so it is on the right of the
 * left knee and on the left of the right knee.
 */
function kneeSvg(side: 'left' | 'right'): Safe {
  const [west, east] = side === 'left' ? ['outside', 'inside'] : ['inside', 'outside'];
  const z = (l: string) => whereValue(side, l as KneeLocation);
  return h`<svg class="knee" viewBox="0 0 200 170" role="img" aria-label="The ${side} knee seen from above: front with the kneecap at the top, back at the bottom, ${west} on the left, ${east} on the right">
  <ellipse class="joint" cx="100" cy="90" rx="62" ry="52"></ellipse>
  <path class="zone" data-where="${z('front')}" d="M100 90 L56 53 A62 52 0 0 1 144 53 Z"><title>${side} knee, front</title></path>
  <path class="zone" data-where="${z(east)}" d="M100 90 L144 53 A62 52 0 0 1 144 127 Z"><title>${side} knee, ${east}</title></path>
  <path class="zone" data-where="${z('back')}" d="M100 90 L144 127 A62 52 0 0 1 56 127 Z"><title>${side} knee, back</title></path>
  <path class="zone" data-where="${z(west)}" d="M100 90 L56 127 A62 52 0 0 1 56 53 Z"><title>${side} knee, ${west}</title></path>
  <ellipse class="kneecap" cx="100" cy="40" rx="22" ry="12"></ellipse>
  <text x="100" y="16">front (kneecap)</text>
  <text x="100" y="164">back</text>
  <text x="24" y="94">${west}</text>
  <text x="176" y="94">${east}</text>
</svg>`;
}

export interface CheckFormState {
  csrf: string;
  /** The fields as last submitted (kept when the form comes back with an error). */
  values?: FormFields;
  /** A line shown above the knees (e.g. an earlier check that did not say which knee). */
  notice?: string;
  error?: { field: string; message: string } | null;
}

/**
 * The knee-check form, posting to `action` (a run's `/runs/:id/check`, `/check` for none, or a
 * check's `/checks/:id/edit`).
 */
export function checkForm(
  action: string,
  s: CheckFormState,
  title = 'How do your knees feel?',
  submit = 'Save knee check',
): Safe {
  const v = s.values ?? {};
  const has = (k: string, value?: string) => {
    const x = v[k];
    if (value === undefined) return x !== undefined;
    return Array.isArray(x) ? x.includes(value) : x === value;
  };
  const err = (field: string) =>
    s.error?.field === field ? h`<p class="error" role="alert">${s.error.message}</p>` : '';
  const note = Array.isArray(v.note) ? v.note[0] : v.note;
  return h`<form class="card check-form" id="check-form" method="post" action="${action}">
  <h2>${title}</h2>
  <input type="hidden" name="csrf" value="${s.csrf}">
  ${s.error && !['pain', 'where', 'note'].includes(s.error.field) ? h`<p class="error" role="alert">${s.error.message}</p>` : ''}
  <fieldset class="pain-scale">
    <legend>Pain right now: 0 = none, 10 = worst imaginable</legend>
    ${err('pain')}
    <div class="scale">
    ${Array.from({ length: 11 }, (_, n) => h`<label class="pain-${n}"><input type="radio" name="pain" value="${n}" required${has('pain', String(n)) ? h` checked` : ''}><span>${n}</span></label>`)}
    </div>
  </fieldset>
  <fieldset class="where">
    <legend>Which knee, and where does it hurt? Tick every place that applies</legend>
    ${err('where')}
    ${s.notice ? h`<p class="notice small">${s.notice}</p>` : ''}
    <div class="knees">
    ${(['left', 'right'] as const).map(
      (side) => h`<div class="knee-side" data-knee="${side}">
      <h3>${side === 'left' ? 'Left knee' : 'Right knee'}</h3>
      ${kneeSvg(side)}
      <div class="choices">
      ${KNEE_LOCATIONS.map(
        (l) =>
          h`<label class="choice"><input type="checkbox" name="where" value="${whereValue(side, l)}"${has('where', whereValue(side, l)) ? h` checked` : ''}><span><strong>${l}</strong> <small>${WHERE_TEXT[l]}</small></span></label>`,
      )}
      </div>
    </div>`,
    )}
    </div>
  </fieldset>
  <fieldset class="flags">
    <legend>Any of these? (leave empty if not)</legend>
    ${FLAG_FIELDS.map(
      (f) =>
        h`<label class="choice"><input type="checkbox" name="${f}" value="on"${has(f) ? h` checked` : ''}><span>${FLAG_LABELS[f].question}</span></label>`,
    )}
  </fieldset>
  <label class="note-field">Note (optional)
    ${err('note')}
    <textarea name="note" rows="3" maxlength="${MAX_NOTE_CHARS}">${note ?? ''}</textarea>
  </label>
  <button type="submit" class="button primary">${submit}</button>
</form>`;
}

/** `GET /runs/:id`: the run, its knee checks, the current advice and the knee-check form. */
export function runPage(
  store: Store,
  config: Config,
  now: Date,
  run: Run,
  form: CheckFormState,
  savedCheckId: number | null,
  changed: ChangeNotice = {},
): string {
  const u = config.units;
  const untilUnix = Math.floor(now.getTime() / 1000);
  const checks = store.checks
    .list(untilUnix)
    .filter((c) => c.runId === run.id)
    .reverse();
  const advice = currentAdvice(store, config, now);
  const saved = checks.find((c) => c.id === savedCheckId);
  const previous = store.runs.list({ untilUnix: Math.floor(Date.parse(run.startTime) / 1000) });
  const spike = spikeOf(run, previous);
  const series = store.series.get(run.id);
  const rows: [string, string][] = [
    ['Distance', formatDistance(run.distanceM, u)],
    ['Moving time', formatDuration(run.movingTimeS ?? run.elapsedTimeS)],
    ['Pace', formatPace(run.avgSpeedMps, u)],
    ['Step rate', run.avgCadenceSpm === null ? '–' : `${Math.round(run.avgCadenceSpm)} steps/min`],
    ['Step length', formatStepLength(run.avgStepLengthM, u)],
    ['Heart rate', run.avgHeartRateBpm === null ? '–' : `${Math.round(run.avgHeartRateBpm)} bpm`],
    [
      'vs longest run of the 30 days before',
      spike.ratio === null ? '–' : `×${spike.ratio.toFixed(2)}`,
    ],
    ['Device', run.device ?? '–'],
    ...runOriginRows(run),
  ];
  const intro = saved
    ? h`<p class="saved" role="status">Saved your knee check (pain ${saved.pain}/10). Here is your advice now:</p>`
    : '';
  const body = h`<p class="crumbs"><a href="/">← Dashboard</a></p>
${changeBanner(changed, form.csrf, runHref(run.id))}
<section class="card run-summary">
  <h1>Run of ${formatStart(run)}</h1>
  <dl class="facts">${rows.map(([k, val]) => h`<div><dt>${k}</dt><dd>${val}</dd></div>`)}</dl>
  ${run.partial || run.warnings.length > 0 ? h`<p class="muted small">Notes: ${[run.partial ? 'partial file' : '', ...run.warnings].filter(Boolean).join(', ')}</p>` : ''}
  ${runShoeForm(run, store.shoes.list(), store.shoes.ofRun(run.id), form.csrf)}
</section>
${runCounting(run, form.csrf)}
${saved ? adviceCard(advice, config.timezone, intro) : ''}
${checkForm(`${runHref(run.id)}/check`, form)}
${saved ? '' : adviceCard(advice, config.timezone)}
<section class="card" id="run-checks">
  <h2>Knee checks about this run</h2>
  ${checks.length === 0 ? h`<p class="muted">None yet.</p>` : h`<ol class="timeline">${checks.map((c) => checkItem(c, config.timezone, '', checkActions(c, form.csrf, runHref(run.id))))}</ol>`}
</section>
${runSeriesSection(series, u)}`;
  return page({ title: `Run of ${formatStart(run)}`, body, charts: series !== null });
}

/** A page for a run id that is not stored. */
export function runNotFoundPage(id: string): string {
  return page({
    title: 'No such run',
    body: h`<section class="card"><h1>No such run</h1><p>There is no run with the id <code>${id}</code>. <a href="/">Back to the dashboard</a>.</p></section>`,
  });
}

/**
 * `GET /check`: a knee check about the knee now, not a run (a rest day, or before any run is
 * imported; science.md "A knee check needs no run").
 */
export function kneeNowPage(store: Store, config: Config, now: Date, form: CheckFormState): string {
  const advice = currentAdvice(store, config, now);
  const body = h`<p class="crumbs"><a href="/">← Dashboard</a></p>
${checkForm('/check', form, 'How does your knee feel now?')}
<p class="muted small">This check is about your knee today, not about one run. After a run, use the form on that run's page.</p>
${adviceCard(advice, config.timezone)}`;
  return page({ title: 'Knee check', body });
}

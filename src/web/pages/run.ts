import { formatDistance, formatDuration, formatPace, formatStart } from '../../format.ts';
import { painWords } from '../../advice/words.ts';
import { currentAdvice } from '../../history.ts';
import type { Run } from '../../model.ts';
import type { Config } from '../../config/index.ts';
import type { Store } from '../../store/index.ts';
import { h } from '../html.ts';
import { changeBanner, checkActions, runCounting, type ChangeNotice } from './corrections.ts';
import { spikeOf } from '../../load/spike.ts';
import { checkForm, type CheckFormState } from './check-form.ts';
import { adviceCard, checkItem, formatStepLength, page, runHref } from './layout.ts';
import { runOriginRows, runSeriesSection } from './run-facts.ts';
import { runShoeForm } from './shoes.ts';

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
    ? h`<p class="saved" role="status">Saved your knee check (pain ${painWords(saved)}). Here is your advice now:</p>`
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

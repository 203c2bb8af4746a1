import { DateTime } from 'luxon';
import { painWords } from '../../advice/words.ts';
import { advise } from '../../advice/advise.ts';
import { sourceOf, type Source } from '../../advice/sources.ts';
import type { Config } from '../../config/index.ts';
import { LEVEL_LABEL, formatBecauseValue } from '../../present/advice-text.ts';
import { formatDistance } from '../../format.ts';
import { shoeDistance } from '../../present/shoes.ts';
import { adviceInput, loadHistory, reportOf, type History } from '../../history.ts';
import {
  KNEE_FLAGS,
  KNEE_LOCATIONS,
  type Advice,
  type KneeCheck,
  type Report,
  type RunId,
  type Shoe,
} from '../../model.ts';
import type { Store } from '../../store/index.ts';
import { h, raw, type Safe } from '../html.ts';
import { spikes, strideSeries } from './charts.ts';
import { FLAG_LABELS, flagsOf } from './layout.ts';

/** Weeks the clinician summary covers (the current one last, marked "so far"). */
export const SUMMARY_WEEKS = 12;

/** What the summary shows, gathered once (the page and `kneecheck export` print the same). */
export interface SummaryData {
  now: Date;
  zone: string;
  units: Config['units'];
  report: Report;
  /** Per week: the largest run-vs-longest-of-30-days ratio above the spike threshold, if any. */
  spikeByWeek: Map<string, number>;
  /** Per week: mean step rate vs the runner's own line at the same speed, percent. */
  strideByWeek: Map<string, { deltaPct: number; runs: number; stepRateSpm: number }>;
  /** Checks within the weeks shown, oldest first. */
  checks: KneeCheck[];
  clearances: History['clearances'];
  advice: Advice;
  excludedRuns: number;
  /** Shoes in use with their distance (empty when the runner keeps none). */
  shoes: Shoe[];
  rampLimitPct: number;
  spikeLimitPct: number;
}

const weekOf = (iso: string, zone: string): string =>
  DateTime.fromISO(iso).setZone(zone).startOf('week').toISODate() ?? '';

/** Gathers the summary's figures as of `now` (runs and checks after `now` are left out). */
export function summaryData(
  store: Store,
  config: Config,
  now: Date,
  opts: { whole?: boolean } = {},
): SummaryData {
  // The weeks shown and their look-back: every figure is the same as from the whole history
  // (`whole`, the definition; test/page-window.test.ts), in a time that does not grow with the
  // years stored (issue 24).
  const history = opts.whole
    ? loadHistory(store, now)
    : loadHistory(store, now, { weeks: SUMMARY_WEEKS, advice: config });
  const zone = config.timezone;
  const report = reportOf(history, config, now, SUMMARY_WEEKS);
  const first = report.weeks[0]?.weekStart ?? '';
  const fromMs = DateTime.fromISO(first, { zone }).toMillis();
  const counted = history.runs.filter((r) => r.excluded === null);

  const spikeByWeek = new Map<string, number>();
  const countedById = new Map(counted.map((r) => [r.id, r]));
  for (const [id, ratio] of spikes(counted, config.thresholds)) {
    const run = countedById.get(id);
    if (!run || Date.parse(run.startTime) < fromMs) continue;
    const w = weekOf(run.startTime, zone);
    spikeByWeek.set(w, Math.max(spikeByWeek.get(w) ?? 0, ratio));
  }

  const strideByWeek = new Map<string, { deltaPct: number; runs: number; stepRateSpm: number }>();
  const byId = new Map<RunId, string>(counted.map((r) => [r.id, r.startTime]));
  for (const p of strideSeries(counted, history.forms, fromMs)) {
    const w = weekOf(byId.get(p.runId as RunId) ?? '', zone);
    const s = strideByWeek.get(w) ?? { deltaPct: 0, runs: 0, stepRateSpm: 0 };
    s.deltaPct += p.deltaPct;
    s.stepRateSpm += p.stepRateSpm;
    s.runs++;
    strideByWeek.set(w, s);
  }
  for (const s of strideByWeek.values()) {
    s.deltaPct /= s.runs;
    s.stepRateSpm /= s.runs;
  }

  return {
    now,
    zone,
    units: config.units,
    report,
    spikeByWeek,
    strideByWeek,
    checks: history.checks.filter((c) => Date.parse(c.checkedAt) >= fromMs),
    clearances: history.clearances,
    advice: advise(adviceInput(history, config, now)),
    excludedRuns: history.runs.filter(
      (r) => r.excluded !== null && Date.parse(r.startTime) >= fromMs,
    ).length,
    shoes: (history.shoes?.pairs ?? []).filter((s) => s.retiredOn === null),
    rampLimitPct: Math.round((config.thresholds.weeklyRamp - 1) * 100),
    spikeLimitPct: Math.round((config.thresholds.spikeCaution - 1) * 100),
  };
}

const fmtDate = (iso: string, zone: string) =>
  DateTime.fromISO(iso).setZone(zone).toFormat('d LLL yyyy');
const signed = (x: number) => {
  const n = Math.round(x) || 0;
  return `${n > 0 ? '+' : ''}${n} %`;
};
const kneeText = (c: KneeCheck) => (c.knee === null ? 'knee not said' : `${c.knee} knee`);

/** Weekly distance as SVG bars with presentation attributes (prints without any stylesheet). */
function bars(d: SummaryData): Safe {
  const weeks = d.report.weeks;
  const max = Math.max(1, ...weeks.map((w) => w.distanceM));
  const W = 600;
  const H = 90;
  const slot = W / Math.max(1, weeks.length);
  return h`<svg class="sum-bars" viewBox="0 0 ${W} ${H + 16}" role="img" aria-label="Weekly distance, last ${weeks.length} weeks">
${weeks.map((w, i) => {
  const bh = Math.round((w.distanceM / max) * (H - 14));
  const x = Math.round(i * slot + slot * 0.15);
  const steep = w.rampPct !== null && w.rampPct > d.rampLimitPct;
  const spike = d.spikeByWeek.has(w.weekStart);
  return h`<rect x="${x}" y="${H - bh}" width="${Math.round(slot * 0.7)}" height="${bh}" fill="${steep || spike ? '#c0392b' : '#2c6bd6'}"></rect>
<text x="${Math.round(x + slot * 0.35)}" y="${H - bh - 3}" font-size="10" text-anchor="middle" fill="#1d2330">${(w.distanceM / (d.units === 'imperial' ? 1609.344 : 1000)).toFixed(1)}${spike ? ' ▲' : ''}</text>
<text x="${Math.round(x + slot * 0.35)}" y="${H + 12}" font-size="9" text-anchor="middle" fill="#5d6675">${DateTime.fromISO(w.weekStart).toFormat('d LLL')}</text>`;
})}
</svg>`;
}

function weeksTable(d: SummaryData): Safe {
  const current = d.report.weeks.at(-1)?.weekStart;
  return h`<table class="sum-table">
<thead><tr><th>Week of</th><th>Runs</th><th>Distance</th><th>Change</th><th>Longest</th><th>Spike</th><th>Step rate at matched speed</th><th>Max pain</th></tr></thead>
<tbody>
${d.report.weeks.map((w) => {
  const soFar = w.weekStart === current;
  const spike = d.spikeByWeek.get(w.weekStart);
  const stride = d.strideByWeek.get(w.weekStart);
  const steep = !soFar && w.rampPct !== null && w.rampPct > d.rampLimitPct;
  return h`<tr${soFar ? h` class="so-far"` : ''}><td>${DateTime.fromISO(w.weekStart).toFormat('d LLL')}${soFar ? ' (so far)' : ''}</td><td>${w.runs}</td><td>${formatDistance(w.distanceM, d.units).replace(/(\.\d)\d /, '$1 ')}</td><td${steep ? h` class="flag"` : ''}>${soFar || w.rampPct === null ? '–' : signed(w.rampPct)}</td><td>${formatDistance(w.longestRunM, d.units).replace(/(\.\d)\d /, '$1 ')}</td><td${spike ? h` class="flag"` : ''}>${spike ? `×${spike.toFixed(2)}` : '–'}</td><td>${stride ? `${Math.round(stride.stepRateSpm)} spm, ${signed(stride.deltaPct)} vs own line` : '–'}</td><td>${w.maxPain === null ? '–' : painWords({ pain: w.maxPain, painRange: w.maxPainRange ?? null })}</td></tr>`;
})}
</tbody>
</table>`;
}

/** Painful checks by knee and place: how many, and the highest pain. */
function painGrid(d: SummaryData): Safe {
  const painful = d.checks.filter((c) => c.pain > 0);
  if (painful.length === 0) return h`<p>No pain reported in these weeks.</p>`;
  const knees = ['left', 'right', 'both', null] as const;
  const rows = knees
    .map((k) => ({ k, checks: painful.filter((c) => c.knee === k) }))
    .filter((r) => r.checks.length > 0);
  const cell = (checks: KneeCheck[]) =>
    checks.length === 0
      ? '–'
      : `${checks.length}× (max ${painWords(checks.reduce((a, b) => (b.pain > a.pain ? b : a)))})`;
  return h`<table class="sum-table grid">
<thead><tr><th>Knee</th>${KNEE_LOCATIONS.map((l) => h`<th>${l}</th>`)}<th>place not said</th></tr></thead>
<tbody>${rows.map(
    (r) =>
      h`<tr><td>${r.k === null ? 'not said' : r.k}</td>${KNEE_LOCATIONS.map((l) => h`<td>${cell(r.checks.filter((c) => c.where.includes(l)))}</td>`)}<td>${cell(r.checks.filter((c) => c.where.length === 0))}</td></tr>`,
  )}</tbody>
</table>`;
}

function timeline(d: SummaryData): Safe {
  const shown = d.checks.filter((c) => c.pain > 0 || KNEE_FLAGS.some((f) => c[f]) || c.note);
  const quiet = d.checks.length - shown.length;
  return h`<ol class="sum-timeline">${shown.map((c) => {
    const flags = flagsOf(c);
    return h`<li><span class="d">${fmtDate(c.checkedAt, d.zone)}</span> ${kneeText(c)}, pain ${painWords(c)}${c.where.length > 0 ? `, ${c.where.join(' + ')}` : ''}${flags.length > 0 ? h`, <strong class="flag">${flags.join(', ')}</strong>` : ''}${c.runId === null ? ' (no run)' : ''}${c.note ? h` — “${c.note}”` : ''}</li>`;
  })}</ol>
${quiet > 0 ? h`<p class="muted">${quiet} pain-free check${quiet === 1 ? '' : 's'} without notes not listed.</p>` : ''}`;
}

function redFlags(d: SummaryData): Safe {
  const flagged = d.checks.filter((c) => KNEE_FLAGS.some((f) => c[f]));
  return h`${
    flagged.length === 0
      ? h`<p>None reported in these weeks (${KNEE_FLAGS.map((f) => FLAG_LABELS[f].short).join(', ')}: all “no”).</p>`
      : h`<ul>${flagged.map((c) => h`<li>${fmtDate(c.checkedAt, d.zone)}: ${kneeText(c)}, <strong class="flag">${flagsOf(c).join(', ')}</strong></li>`)}</ul>`
  }
<p>Clinician visits recorded (“a clinician has seen my knee”): ${
    d.clearances.length === 0
      ? 'none.'
      : h`<span>${d.clearances.map((c, i) => h`${i > 0 ? '; ' : ''}${fmtDate(c.clearedAt, d.zone)}${c.note ? ` (“${c.note}”)` : ''}`)}.</span>`
  }</p>`;
}

function adviceBlock(d: SummaryData): { html: Safe; sources: Source[] } {
  const keys = new Set<string>();
  const a = d.advice;
  const html = h`<p><strong>${a.headline}</strong> <span class="muted">(kneecheck's level: ${LEVEL_LABEL[a.level]})</span></p>
<ul>${a.suggestions.map((s) => {
    for (const b of s.because) keys.add(b.source);
    return h`<li>${s.message.replaceAll('`', '')}${
      s.because.length > 0
        ? h`<br><span class="muted">Because: ${s.because.map((b, i) => h`${i > 0 ? '; ' : ''}${b.label}: ${formatBecauseValue(b.value)}${b.threshold === null || b.threshold === 'reported' ? '' : ` (threshold ${formatBecauseValue(b.threshold)})`} [${sourceOf(b.source)?.short ?? b.source}]`)}</span>`
        : ''
    }</li>`;
  })}</ul>`;
  const sources = [...keys].map((k) => sourceOf(k)).filter((s): s is Source => s !== undefined);
  return { html, sources };
}

/**
 * The one-page summary for a physiotherapist (`GET /summary`, `kneecheck export`'s
 * summary.html): the last {@link SUMMARY_WEEKS} weeks of load with ramp and spikes, the pain
 * timeline by knee and place, red flags and clearances, step rate at matched speed and the
 * current advice with its sources. `css` is the stylesheet: a link (served) or inline (a file
 * opened from disk, where no server answers /assets).
 */
export function summaryHtml(
  d: SummaryData,
  css: { href: string } | { inline: string },
  opts: { backLink?: boolean } = {},
): string {
  const first = d.report.weeks[0]?.weekStart ?? '';
  const advice = adviceBlock(d);
  const period = `${DateTime.fromISO(first).toFormat('d LLL yyyy')} – ${DateTime.fromJSDate(d.now).setZone(d.zone).toFormat('d LLL yyyy')}`;
  return h`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>Running and knee summary · kneecheck</title>
${'href' in css ? h`<link rel="stylesheet" href="${css.href}">` : h`<style>${raw(css.inline.replaceAll('</', '<\\/'))}</style>`}
</head>
<body class="summary">
${opts.backLink ? h`<p class="no-print"><a href="/">← Dashboard</a> · Print this page or save it as PDF for your physiotherapist.</p>` : ''}
<header>
<h1>Running and knee summary</h1>
<p class="muted">${period} (${d.report.weeks.length} weeks, ${d.zone}). Recorded by the runner with kneecheck; made ${DateTime.fromJSDate(d.now).setZone(d.zone).toFormat('d LLL yyyy, HH:mm')}.${d.excludedRuns > 0 ? ` ${d.excludedRuns} run${d.excludedRuns === 1 ? '' : 's'} left out as unusable (wrong clock, not a run).` : ''}</p>
</header>
<section id="sum-advice"><h2>Current advice</h2>${advice.html}</section>
<section id="sum-load"><h2>Weekly distance, change and spikes</h2>
${bars(d)}
${weeksTable(d)}
<p class="muted">Change: distance vs the week before (flagged above +${d.rampLimitPct} %). Spike: a run more than ${d.spikeLimitPct} % longer than the longest of the 30 days before it (×ratio). Step rate: steps/min compared with the runner's own step-rate line at the same speed (fewer, longer steps load the knee more).</p>
${d.shoes.length > 0 ? h`<p id="sum-shoes">Shoes in use: ${d.shoes.map((s, i) => h`${i > 0 ? '; ' : ''}${s.name}, ${shoeDistance(s, d.units)} since ${s.startedOn}`)}.</p>` : ''}
</section>
<div class="sum-columns">
<div>
<section id="sum-pain"><h2>Knee pain by knee and place</h2>
${painGrid(d)}
${timeline(d)}
</section>
</div>
<div>
<section id="sum-flags"><h2>Red flags and clearances</h2>${redFlags(d)}</section>
<section id="sum-sources"><h2>Sources of the advice</h2>
<ol class="sum-sources">${advice.sources.map((s) => h`<li><strong>${s.short}</strong>: ${s.citation}</li>`)}</ol>
<p class="muted">Guidance from the runner's own records, not a diagnosis. Pain is self-reported on a 0–10 scale.</p>
</section>
</div>
</div>
</body>
</html>`.html;
}

/** `GET /summary`: the same summary as `kneecheck export`, served with its print stylesheet. */
export function summaryPage(store: Store, config: Config, now: Date): string {
  return summaryHtml(
    summaryData(store, config, now),
    { href: '/assets/summary.css' },
    {
      backLink: true,
    },
  );
}

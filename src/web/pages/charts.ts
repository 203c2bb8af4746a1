import { DateTime } from 'luxon';
import type { Thresholds } from '../../advice/thresholds.ts';
import { formatDistance, formatPace, type Units } from '../../format.ts';
import { spikesOf } from '../../load/spike.ts';
import {
  cadencePoints,
  cadenceVsLine,
  fitCadenceLine,
  stepLengthVsLine,
} from '../../load/stride.ts';
import type { FormSummary, Report, Run, RunId } from '../../model.ts';
import { h, jsonBlock, type Safe } from '../html.ts';
import { formatStepLength } from './layout.ts';

/** Runs in this many days before a run form its baseline step-rate line (as the advice does). */
const BASELINE_DAYS = 60;
const DAY_MS = 86_400_000;
const fmt1 = (x: number) => (Math.round(x * 10) / 10).toString();

/** Runs longer than the spike threshold vs the longest of their previous 30 days, by id. */
export function spikes(runs: readonly Run[], t: Thresholds): Map<RunId, number> {
  const out = new Map<RunId, number>();
  const all = spikesOf(runs);
  runs.forEach((r, i) => {
    const ratio = all[i]?.ratio ?? null;
    if (ratio !== null && ratio > t.spikeCaution) out.set(r.id, ratio);
  });
  return out;
}

/** An x position as a percentage of the chart's width (the SVG stretches, its text does not). */
const pct = (x: number) => `${fmt1(x * 100)}%`;

/**
 * Weekly distance as SVG bars (works without JS), ramp % under each week, spike weeks marked. The
 * SVG has no viewBox: x positions are percentages and text keeps its size, so labels stay
 * readable on a 390 px phone and the chart never forces the page wider. The current week
 * (`thisWeek`, its Monday) is marked "so far" and has no ramp until it ends.
 */
export function weeklyBars(
  report: Report,
  runs: readonly Run[],
  spiked: ReadonlyMap<RunId, number>,
  units: Units,
  t: Thresholds,
  thisWeek?: string,
): Safe {
  const weeks = report.weeks;
  const spikeWeeks = new Set(
    runs
      .filter((r) => spiked.has(r.id))
      .map((r) =>
        DateTime.fromISO(r.startTime).setZone(report.timezone).startOf('week').toISODate(),
      ),
  );
  const max = Math.max(1, ...weeks.map((w) => w.distanceM));
  const slot = 1 / Math.max(1, weeks.length);
  const top = 24;
  const height = 150;
  const rampLimit = (t.weeklyRamp - 1) * 100;
  let month = '';
  const bars = weeks.map((w, i) => {
    const bh = (w.distanceM / max) * height;
    const mid = pct(i * slot + slot / 2);
    const spike = spikeWeeks.has(w.weekStart);
    const current = w.weekStart === thisWeek;
    const ramp = current ? null : w.rampPct;
    const steep = ramp !== null && ramp > rampLimit;
    const label = formatDistance(w.distanceM, units, 1);
    const day = DateTime.fromISO(w.weekStart);
    // The month under the first bar and where it changes: "23" alone is unambiguous beside it.
    const newMonth = day.toFormat('LLL') !== month;
    month = day.toFormat('LLL');
    return h`<g class="week${spike ? ' spike' : ''}${current ? ' current' : ''}">
  <title>Week of ${w.weekStart}${current ? ' (so far)' : ''}: ${label}, ${w.runs} runs${ramp === null ? '' : `, ramp ${ramp > 0 ? '+' : ''}${fmt1(ramp)} %`}${spike ? ', with a spike run' : ''}</title>
  <rect class="bar" x="${pct(i * slot + slot * 0.15)}" y="${fmt1(top + height - bh)}" width="${pct(slot * 0.7)}" height="${fmt1(bh)}"></rect>
  <text class="value" x="${mid}" y="${fmt1(top + height - bh - 4)}">${label.replace(/ (km|mi)$/, '')}${spike ? ' ▲' : ''}</text>
  <text class="axis" x="${mid}" y="${top + height + 16}">${day.toFormat('d')}</text>
  ${newMonth ? h`<text class="axis month" x="${mid}" y="${top + height + 30}">${day.toFormat('LLL')}</text>` : ''}
  <text class="ramp${steep ? ' steep' : ''}${current ? ' so-far' : ''}" x="${mid}" y="${top + height + (current && !newMonth ? 30 : 46)}">${current ? 'so far' : ramp === null ? '–' : `${ramp > 0 ? '+' : ''}${Math.round(ramp)}%`}</text>
</g>`;
  });
  return h`<svg class="bars" width="100%" height="${top + height + 54}" role="img" aria-label="Weekly distance, ${units === 'imperial' ? 'miles' : 'kilometres'}">
${bars}
</svg>
<p class="legend small">Bars: distance per week (${units === 'imperial' ? 'mi' : 'km'}, Monday to Sunday, ${report.timezone}); under each: the Monday, then the change from the week before, <span class="steep">red</span> above +${Math.round(rampLimit)} %. The current week is <em>so far</em>: its change is shown once it ends. <span class="spike-mark">▲</span> a week with a spike: one run more than ${Math.round((t.spikeCaution - 1) * 100)} % longer than the longest of its previous 30 days.</p>`;
}

/** The acute:chronic ratio per week inside the often-quoted 0.8–1.3 band: context only. */
export function acwrBand(report: Report, t: Thresholds): Safe {
  const pts = report.weeks.map((w, i) => ({ i, v: w.acwr, week: w.weekStart }));
  const known = pts.filter((p): p is { i: number; v: number; week: string } => p.v !== null);
  const height = 120;
  const top = 10;
  const yMax = Math.max(t.acwrHigh + 0.2, ...known.map((p) => p.v + 0.1));
  const y = (v: number) => top + height - (v / yMax) * height;
  const slot = 1 / Math.max(1, pts.length);
  const x = (i: number) => pct(i * slot + slot / 2);
  // Percent x positions (no viewBox, see weeklyBars): the line is drawn as segments.
  const segments = known
    .slice(1)
    .map(
      (p, k) =>
        h`<line class="line" x1="${x(known[k]?.i ?? 0)}" y1="${fmt1(y(known[k]?.v ?? 0))}" x2="${x(p.i)}" y2="${fmt1(y(p.v))}"></line>`,
    );
  return h`<svg class="acwr" width="100%" height="${top + height + 20}" role="img" aria-label="Acute to chronic load ratio per week">
<rect class="band" x="0" y="${fmt1(y(1.3))}" width="100%" height="${fmt1(y(0.8) - y(1.3))}"></rect>
<line class="high" x1="0" x2="100%" y1="${fmt1(y(t.acwrHigh))}" y2="${fmt1(y(t.acwrHigh))}"></line>
<text class="axis start" x="4" y="${fmt1((y(0.8) + y(1.3)) / 2 + 4)}">usual 0.8–1.3</text>
<text class="axis end" x="99%" y="${fmt1(y(t.acwrHigh) - 4)}">high ${t.acwrHigh}</text>
${segments}
${known.map(
  (
    p,
  ) => h`<circle class="dot" cx="${x(p.i)}" cy="${fmt1(y(p.v))}" r="4"><title>Week of ${p.week}: ${p.v.toFixed(2)}</title></circle>
<text class="value${p.i % 2 === 1 ? ' odd' : ''}" x="${x(p.i)}" y="${top + height + 16}">${p.v.toFixed(2)}</text>`,
)}
</svg>
<p class="caveat small"><strong>Context only.</strong> The acute:chronic ratio compares the last 7 days of load with the last 28 (exponentially weighted). Whether it predicts injury is contested, so kneecheck never tells you to stop because of it alone; the shaded band is the range often quoted as usual.</p>`;
}

/** One run's stride, compared with the runner's own step-rate line at the same speed. */
export interface StridePoint {
  runId: string;
  /** Unix seconds of the start. */
  t: number;
  date: string;
  speedMps: number;
  stepRateSpm: number;
  expectedSpm: number;
  deltaPct: number;
  stepLengthM: number | null;
  expectedStepLengthM: number | null;
}

/**
 * Step rate at matched speed over time: each run against the line fitted to the runs of the
 * {@link BASELINE_DAYS} days before it (the comparison the stride advice makes), so a faster run
 * is not mistaken for quicker steps.
 */
export function strideSeries(
  runs: readonly Run[],
  forms: ReadonlyMap<RunId, FormSummary>,
  fromMs: number,
): StridePoint[] {
  // Each start parsed once, runs sorted once; a run's 60-day baseline is a slice found by
  // binary search (issue 24: this was a scan of every run for each run shown).
  const ordered = runs
    .map((run) => ({ run, start: Date.parse(run.startTime) }))
    .sort((a, b) => a.start - b.start);
  const firstAtOrAfter = (t: number): number => {
    let lo = 0;
    let hi = ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((ordered[mid]?.start ?? Infinity) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const out: StridePoint[] = [];
  for (const { run, start } of ordered) {
    if (start < fromMs) continue;
    const baseline = ordered
      .slice(firstAtOrAfter(start - BASELINE_DAYS * DAY_MS), firstAtOrAfter(start))
      .map((o) => o.run)
      .filter((r) => r.id !== run.id);
    const line = fitCadenceLine(baseline.map((r) => cadencePoints(r, forms.get(r.id) ?? null)));
    const form = forms.get(run.id) ?? null;
    const matched = cadenceVsLine(cadencePoints(run, form), line);
    if (!matched) continue;
    const sl = stepLengthVsLine(run, form, line, matched);
    out.push({
      runId: run.id,
      t: Math.floor(start / 1000),
      date: DateTime.fromISO(run.startTime, { setZone: true }).toFormat('d LLL yyyy'),
      speedMps: matched.speedMps,
      stepRateSpm: matched.actualSpm,
      expectedSpm: matched.expectedSpm,
      deltaPct: matched.deltaPct,
      stepLengthM: sl?.actualM ?? null,
      expectedStepLengthM: sl?.expectedM ?? null,
    });
  }
  return out;
}

/** The stride charts (drawn by /assets/app.js with uPlot) over a table that works without JS. */
export function strideCharts(points: readonly StridePoint[], units: Units, t: Thresholds): Safe {
  if (points.length === 0) {
    return h`<p class="muted">No step-rate data yet: it needs runs recorded with cadence (most watches do).</p>`;
  }
  const ft = units === 'imperial' ? 3.28084 : 1;
  const data = {
    lengthUnit: units === 'imperial' ? 'ft' : 'm',
    t: points.map((p) => p.t),
    stepRate: points.map((p) => Math.round(p.stepRateSpm * 10) / 10),
    expected: points.map((p) => Math.round(p.expectedSpm * 10) / 10),
    stepLength: points.map((p) =>
      p.stepLengthM === null ? null : Math.round(p.stepLengthM * ft * 1000) / 1000,
    ),
    expectedLength: points.map((p) =>
      p.expectedStepLengthM === null ? null : Math.round(p.expectedStepLengthM * ft * 1000) / 1000,
    ),
  };
  return h`<div class="charts">
  <figure><figcaption>Step rate (steps/min) and what your own line expects at the same speed</figcaption><div class="chart" data-chart="step-rate" aria-hidden="true"></div></figure>
  <figure><figcaption>Step length (${data.lengthUnit}) and what your line implies at that speed</figcaption><div class="chart" data-chart="step-length" aria-hidden="true"></div></figure>
</div>
<script type="application/json" id="stride-data">${jsonBlock(data)}</script>
<details class="table-wrap" open data-fallback>
<summary>Stride table</summary>
<table class="data">
<thead><tr><th>run</th><th>pace</th><th>step rate</th><th>expected at that speed</th><th>difference</th><th>step length</th><th>expected</th></tr></thead>
<tbody>
${[...points]
  .reverse()
  .map(
    (p) =>
      h`<tr><td><a href="/runs/${encodeURIComponent(p.runId)}">${p.date}</a></td><td>${formatPace(p.speedMps, units)}</td><td>${Math.round(p.stepRateSpm)} spm</td><td>${Math.round(p.expectedSpm)} spm</td><td class="${p.deltaPct <= -t.cadenceDropPct ? 'steep' : ''}">${p.deltaPct > 0 ? '+' : ''}${fmt1(p.deltaPct)} %</td><td>${formatStepLength(p.stepLengthM, units)}</td><td>${formatStepLength(p.expectedStepLengthM, units)}</td></tr>`,
  )}
</tbody>
</table>
</details>
<p class="legend small">Step rate rises with speed, so each run is compared with a line fitted to your runs of the ${BASELINE_DAYS} days before it, at the same speed (with fewer than five runs, a population line). Fewer, longer steps than usual load the knee more; a +5 % step rate at the same pace is the usual fix.</p>`;
}

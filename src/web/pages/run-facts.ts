import type { Units } from '../../format.ts';
import type { Run, RunSeries } from '../../model.ts';
import { excludedText, runTypeText, sourcesText } from '../../present/run-words.ts';
import { h, jsonBlock, type Safe } from '../html.ts';

/**
 * The run page's facts about where a run came from (issue 11 part B): its type, its sources in
 * words, and whether it counts in the figures.
 */
export function runOriginRows(run: Run): [string, string][] {
  const excluded = excludedText(run);
  return [
    ['Type', runTypeText(run)],
    ['Numbers from', sourcesText(run)],
    ['Counts in your figures', excluded === null ? 'yes' : `no: ${excluded}`],
  ];
}

const M_PER_MILE = 1609.344;
/** Below this a slot is standing, not running: no pace is drawn for it, m/s. */
const MIN_PACE_SPEED_MPS = 0.5;

const fin = (v: number | undefined): number | null =>
  v === undefined || !Number.isFinite(v) ? null : v;

/** Means of `track` over groups of `per` slots (NaN-free values only). */
function coarse(track: Float32Array, per: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let i = 0; i < track.length; i += per) {
    let sum = 0;
    let n = 0;
    for (let j = i; j < Math.min(track.length, i + per); j++) {
      const v = fin(track[j]);
      if (v !== null) {
        sum += v;
        n++;
      }
    }
    out.push(n > 0 ? sum / n : null);
  }
  return out;
}

const clock = (s: number): string => {
  const m = Math.floor(s / 60);
  return m >= 60
    ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${String(Math.round(s % 60)).padStart(2, '0')}`
    : `${m}:${String(Math.round(s % 60)).padStart(2, '0')}`;
};

/**
 * The run page's "over the run" section: pace, step rate and heart rate charts (drawn by
 * /assets/app.js with uPlot from the JSON block) over a minute-by-minute table that works without
 * JavaScript; "no samples stored" for runs imported before series were kept, or without samples.
 */
export function runSeriesSection(series: RunSeries | null, units: Units): Safe {
  if (series === null) {
    return h`<section class="card" id="over-the-run">
  <h2>Over the run</h2>
  <p class="muted">No samples stored for this run: it was imported before kneecheck kept them, or its source had none (pace, step rate and heart rate over the run need the watch's file or Strava's streams).</p>
</section>`;
  }
  const perUnit = units === 'imperial' ? M_PER_MILE : 1000;
  const unit = units === 'imperial' ? 'mi' : 'km';
  const paceOf = (v: number | null) =>
    v === null || v < MIN_PACE_SPEED_MPS ? null : Math.round(perUnit / v);
  const r1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  const n = series.speedMps.length;
  const data = {
    unit,
    t: Array.from({ length: n }, (_, i) => i * series.stepS),
    pace: Array.from(series.speedMps, (v) => paceOf(fin(v))),
    stepRate: Array.from(series.stepRateSpm, (v) => r1(fin(v))),
    heartRate: Array.from(series.heartRateBpm, (v) => r1(fin(v))),
  };
  const has = {
    pace: data.pace.some((v) => v !== null),
    stepRate: data.stepRate.some((v) => v !== null),
    heartRate: data.heartRate.some((v) => v !== null),
  };
  const per = Math.max(1, Math.round(60 / series.stepS));
  const rowS = per * series.stepS;
  const speed = coarse(series.speedMps, per);
  const steps = coarse(series.stepRateSpm, per);
  const beats = coarse(series.heartRateBpm, per);
  const chart = (name: string, caption: string, shown: boolean) =>
    shown
      ? h`<figure><figcaption>${caption}</figcaption><div class="chart" data-series-chart="${name}" aria-hidden="true"></div></figure>`
      : h`<p class="muted small">${caption}: not recorded.</p>`;
  return h`<section class="card" id="over-the-run">
  <h2>Over the run</h2>
  <div class="charts series-charts">
  ${chart('pace', `Pace (min/${unit}; faster is higher)`, has.pace)}
  ${chart('step-rate', 'Step rate (steps/min)', has.stepRate)}
  ${chart('heart-rate', 'Heart rate (beats/min)', has.heartRate)}
  </div>
  <script type="application/json" id="series-data">${jsonBlock(data)}</script>
  <details class="table-wrap" open data-series-fallback>
  <summary>Minute by minute</summary>
  <table class="data">
  <thead><tr><th>from</th><th>pace</th><th>step rate</th><th>heart rate</th></tr></thead>
  <tbody>
  ${speed.map((v, i) => {
    const s = steps[i] ?? null;
    const b = beats[i] ?? null;
    const pace = paceOf(v);
    return h`<tr><td>${clock(i * rowS)}</td><td>${pace === null ? '–' : `${clock(pace)} /${unit}`}</td><td>${s === null ? '–' : `${Math.round(s)} spm`}</td><td>${b === null ? '–' : `${Math.round(b)} bpm`}</td></tr>`;
  })}
  </tbody>
  </table>
  </details>
  <p class="legend small">Means over ${series.stepS} s (the table: over ${rowS === 60 ? 'each minute' : `${rowS} s`}); gaps are pauses or no sensor.</p>
</section>`;
}

import { advise } from '../../advice/advise.ts';
import { painWords } from '../../advice/words.ts';
import type { Config } from '../../config/index.ts';
import { formatDistance, formatDuration, formatPace } from '../../format.ts';
import {
  RECENT_RUN_DAYS,
  adviceInput,
  counted,
  loadHistory,
  recency,
  reportOf,
  windowSinceUnix,
} from '../../history.ts';
import { SPIKE_WINDOW_DAYS } from '../../load/spike.ts';
import type { Run, RunId } from '../../model.ts';
import type { Store } from '../../store/index.ts';
import { h, type Safe } from '../html.ts';
import { acwrBand, spikes, strideCharts, strideSeries, weeklyBars } from './charts.ts';
import { changeBanner, checkActions, type ChangeNotice } from './corrections.ts';
import { DateTime } from 'luxon';
import {
  adviceCard,
  checkItem,
  formatStepLength,
  localDate,
  page,
  runHref,
  stravaConnectForm,
  timeTag,
} from './layout.ts';
import { importCard, runPaths } from './import-card.ts';
import { shoesCard } from './shoes.ts';

/** Monday of the current week in the runner's zone, `yyyy-MM-dd`: that week is "so far". */
export const currentWeekStart = (now: Date, zone: string): string =>
  DateTime.fromJSDate(now).setZone(zone).startOf('week').toISODate() ?? '';

/** Weeks the dashboard shows. */
export const DASHBOARD_WEEKS = 12;
const RECENT_RUNS = 10;
const TIMELINE_CHECKS = 20;

/** How to add runs: which path fits which watch (import-card.ts). */
const addRuns = (config: Config): Safe => runPaths(config);

function emptyState(config: Config): Safe {
  return h`<section class="card empty" id="empty">
  <h2>No runs yet</h2>
  <p>kneecheck needs your runs to look at your load and your stride. Which way fits your watch:</p>
  ${addRuns(config)}
  <p>Just looking? <code>kneecheck demo</code> makes a sample history to explore.</p>
</section>`;
}

/** Runs stored, but none counted in the last {@link RECENT_RUN_DAYS} days: no load to judge. */
function staleState(config: Config, latest: Run | null): Safe {
  return h`<section class="card empty" id="empty" data-state="no-recent-runs">
  <h2>No runs in the last ${RECENT_RUN_DAYS / 7} weeks</h2>
  <p>${latest ? h`Your latest run that counts was on ${localDate(latest.startTime, config.timezone)}.` : 'None of your stored runs counts (each was left out).'} The figures below are from before; kneecheck cannot judge your load now. If you have been running, add those runs:</p>
  ${addRuns(config)}
</section>`;
}

function runRow(r: Run, config: Config, spiked: ReadonlyMap<RunId, number>): Safe {
  const ratio = spiked.get(r.id);
  return h`<li class="run">
  <a href="${runHref(r.id)}"><span class="when">${timeTag(r.startTime, config.timezone)}</span>
  <span class="dist">${formatDistance(r.distanceM, config.units, 1)}</span>
  <span class="time">${formatDuration(r.movingTimeS ?? r.elapsedTimeS)}</span>
  <span class="pace">${formatPace(r.avgSpeedMps, config.units)}</span>
  <span class="steps">${r.avgCadenceSpm === null ? '–' : `${Math.round(r.avgCadenceSpm)} spm`}</span>
  ${r.excluded ? h`<span class="tag excluded" title="${r.excluded.reason}">left out</span>` : ''}
  ${ratio === undefined ? '' : h`<span class="tag spike" title="longer than the longest run of the 30 days before">spike ×${ratio.toFixed(2)}</span>`}
  </a>
</li>`;
}

/**
 * The runs the spike marks are computed from: the windowed history when it holds the 30 days
 * before each of the latest runs listed, else (a listed run older than the window, after a long
 * break) every run from 30 days before the oldest one listed, a short span then.
 */
function spikeRuns(store: Store, windowed: Run[], latestRuns: readonly Run[], now: Date): Run[] {
  const oldest = latestRuns.at(-1);
  if (!oldest) return windowed;
  // A second of slack each way: start_unix is the start rounded to the second.
  const from = Math.floor(Date.parse(oldest.startTime) / 1000) - SPIKE_WINDOW_DAYS * 86_400 - 2;
  if (from >= windowSinceUnix(now, DASHBOARD_WEEKS)) return windowed;
  return store.runs.list({ sinceUnix: from, untilUnix: Math.floor(now.getTime() / 1000) });
}

/** `GET /`: advice, load, stride, knee checks and recent runs; an empty state without runs. */
export function dashboardPage(
  store: Store,
  config: Config,
  now: Date,
  opts: {
    offerStrava?: boolean;
    csrf?: string;
    changed?: ChangeNotice;
    /** Read every run (the definition the windowed page is held to, test/page-window.test.ts). */
    whole?: boolean;
  } = {},
): string {
  // The weeks shown and their look-back (issue 24: the time no longer grows with the years
  // stored); what spans the whole history comes from dedicated queries: the count, the latest
  // runs, the runs of the checks listed.
  const untilUnix = Math.floor(now.getTime() / 1000);
  const history = opts.whole
    ? loadHistory(store, now)
    : loadHistory(store, now, { weeks: DASHBOARD_WEEKS, advice: config });
  const total = opts.whole ? history.runs.length : store.runs.countUntil(untilUnix);
  const recentRuns = opts.whole
    ? history.runs.slice(0, RECENT_RUNS)
    : store.runs.list({ untilUnix, limit: RECENT_RUNS });
  const advice = advise(adviceInput(history, config, now));
  const zone = config.timezone;
  const t = config.thresholds;
  // Excluded runs stay listed (marked) but count in no metric: no spike, no stride point.
  const counting = counted(history.runs);
  const { latest, recent } = recency(history, now);
  const spiked = spikes(
    counted(opts.whole ? history.runs : spikeRuns(store, history.runs, recentRuns, now)),
    t,
  );
  const body: Safe[] = [
    changeBanner(opts.changed ?? {}, opts.csrf ?? '', '/'),
    adviceCard(advice, zone, undefined, {
      ...(opts.csrf ? { clearCsrf: opts.csrf } : {}),
      noRecentRuns: !recent,
    }),
  ];
  if (opts.offerStrava) {
    body.push(h`<section class="card" id="strava">
  <p>Your watch uploads to Strava? Connect it and new runs arrive by themselves.</p>
  ${stravaConnectForm(opts.csrf ?? '')}
</section>`);
  }
  if (total === 0) {
    body.push(emptyState(config));
    if (opts.csrf) body.push(importCard(config, opts.csrf));
  } else {
    if (!recent) body.push(staleState(config, latest));
    const report = reportOf(history, config, now, DASHBOARD_WEEKS);
    const firstWeek = report.weeks[0]?.weekStart ?? '';
    const fromMs = Date.parse(`${firstWeek}T00:00:00Z`) - 86_400_000;
    const stride = strideSeries(counting, history.forms, fromMs);
    const last = report.weeks.at(-1);
    const thisWeek = currentWeekStart(now, zone);
    const km = (m: number | null) => formatDistance(m, config.units, 1);
    body.push(h`<section class="card" id="load">
  <h2>Weekly distance</h2>
  ${weeklyBars(report, counting, spiked, config.units, t, thisWeek)}
  <details class="table-wrap">
  <summary>Week by week</summary>
  <table class="data">
  <thead><tr><th>week of</th><th>runs</th><th>distance</th><th>ramp</th><th>longest</th><th>rest days</th><th>step rate</th><th>step length</th><th>max pain</th></tr></thead>
  <tbody>
  ${[...report.weeks]
    .reverse()
    .map(
      (w) =>
        h`<tr><td>${localDate(w.weekStart, zone)}${w.weekStart === thisWeek ? h` <em class="so-far">so far</em>` : ''}</td><td>${w.runs}</td><td>${km(w.distanceM)}</td><td>${w.rampPct === null || w.weekStart === thisWeek ? '–' : `${w.rampPct > 0 ? '+' : ''}${Math.round(w.rampPct)} %`}</td><td>${km(w.longestRunM)}</td><td>${w.restDays}</td><td>${w.avgCadenceSpm === null ? '–' : `${Math.round(w.avgCadenceSpm)} spm`}</td><td>${formatStepLength(w.avgStepLengthM, config.units)}</td><td>${w.maxPain === null ? '–' : painWords({ pain: w.maxPain, painRange: w.maxPainRange ?? null })}</td></tr>`,
    )}
  </tbody>
  </table>
  </details>
</section>
<section class="card" id="acwr">
  <h2>Acute:chronic load${last?.acwr === null || last === undefined ? '' : h` <span class="muted">now ${last.acwr.toFixed(2)}</span>`}</h2>
  ${acwrBand(report, t)}
</section>
<section class="card" id="stride">
  <h2>Stride: step rate at matched speed and step length</h2>
  ${strideCharts(stride, config.units, t)}
</section>`);
  }
  const checks = [...history.checks].reverse().slice(0, TIMELINE_CHECKS);
  const runById = new Map(history.runs.map((r) => [r.id, r]));
  const missing = [
    ...new Set(checks.flatMap((c) => (c.runId && !runById.has(c.runId) ? [c.runId] : []))),
  ];
  for (const r of store.runs.byIds(missing, untilUnix)) runById.set(r.id, r);
  body.push(h`<section class="card" id="checks">
  <h2>Knee checks</h2>
  <p><a class="button" href="/check">How does your knee feel now?</a> <span class="muted small">A check without a run: a rest day, or before your first run is imported.</span></p>
  ${
    checks.length === 0
      ? h`<p class="muted">No knee checks yet. After a run, open it below and answer the few questions: the advice gets much better with them.</p>`
      : h`<ol class="timeline">${checks.map((c) => {
          const run = c.runId ? runById.get(c.runId) : undefined;
          return checkItem(
            c,
            zone,
            run
              ? h`<a class="run-link" href="${runHref(run.id)}">run of ${timeTag(run.startTime, zone)}</a>`
              : '',
            opts.csrf ? checkActions(c, opts.csrf, '/') : '',
          );
        })}</ol>`
  }
</section>`);
  if (total > 0) {
    body.push(h`<section class="card" id="runs">
  <h2>Recent runs</h2>
  <p class="muted small">Open a run to answer its knee check.</p>
  <ol class="runs">${recentRuns.map((r) => runRow(r, config, spiked))}</ol>
  <p class="more-links"><a class="button" href="/runs">All ${total} runs, by month</a> <a class="button" href="/summary">Summary for your physio (print)</a></p>
</section>`);
  }
  if (total > 0 && opts.csrf) body.push(importCard(config, opts.csrf));
  // Km per pair (issue 11 part B); offered once there are runs or shoes.
  if (history.shoes && (total > 0 || history.shoes.pairs.length > 0)) {
    body.push(shoesCard(history.shoes.pairs, history.shoes.replaceAtKm, config.units));
  }
  return page({ title: 'Dashboard', body: h`${body}`, charts: total > 0 });
}

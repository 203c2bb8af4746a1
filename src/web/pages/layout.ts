import { DateTime } from 'luxon';
import { painWords } from '../../advice/words.ts';
import { LEVEL_LABEL, NOT_A_DIAGNOSIS, formatBecauseValue } from '../../present/advice-text.ts';

import { kneeWords, type Units } from '../../format.ts';
import type { Advice, Because, KneeCheck, KneeFlag, ReturnPlan } from '../../model.ts';
import { sourceOf } from '../../advice/sources.ts';
import { assetUrl } from '../assets.ts';
import { h, type Part, type Safe } from '../html.ts';
import { TEXT_LIMITS } from '../../bounds.ts';

export interface PageOptions {
  title: string;
  body: Safe;
  /** Load the chart library (the dashboard). */
  charts?: boolean;
  /** More of the head (a refresh to Strava's page). */
  head?: Safe;
}

/** The page shell: responsive, CSS and JS from /assets only (no inline script or style). */
export function page(o: PageOptions): string {
  return h`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<link rel="icon" href="data:,">
<title>${o.title} · kneecheck</title>
${o.head ?? ''}
${o.charts ? h`<link rel="stylesheet" href="${assetUrl('uplot.css')}">` : ''}
<link rel="stylesheet" href="${assetUrl('app.css')}">
</head>
<body>
<header class="top"><a class="brand" href="/">kneecheck</a><span class="tagline">knees, load and stride after every run</span></header>
<main>
${o.body}
</main>
<footer class="foot">
<p><strong>Guidance, not a diagnosis.</strong> ${NOT_A_DIAGNOSIS} Get help today for a hot, red
knee with fever, a knee you cannot put weight on, a locked knee or sudden marked swelling.</p>
</footer>
${o.charts ? h`<script src="${assetUrl('uplot.js')}" defer></script>` : ''}
<script src="${assetUrl('app.js')}" defer></script>
</body>
</html>`.html;
}

/** Advice words with `commands` shown as code (the rest escaped as usual). */
const withCode = (text: string): Safe[] =>
  text.split('`').map((part, i) => (i % 2 === 1 ? h`<code>${part}</code>` : h`${part}`));

/** A reason's source: its short name, linked to its entry on the sources page. */
function sourceLink(key: string): Safe {
  const s = sourceOf(key);
  return h`<a class="source" href="/sources#${key}" title="${s?.citation ?? key}">${s?.short ?? key}</a>`;
}

/** The "Connect Strava" button: a form posting to /strava/connect (a GET changes nothing). */
export function stravaConnectForm(csrf: string): Safe {
  return h`<form class="inline" method="post" action="/strava/connect">
  <input type="hidden" name="csrf" value="${csrf}">
  <button type="submit" class="button">Connect Strava</button>
</form>`;
}

/**
 * "A clinician has seen my knee": ends the red flags that keep the advice at see-doctor
 * (science.md, "A red flag stands until it is resolved"). A plain form with a CSRF token.
 */
export function clearanceForm(csrf: string): Safe {
  return h`<form class="clearance" method="post" action="/cleared">
  <input type="hidden" name="csrf" value="${csrf}">
  <label for="cleared-note">What the clinician said (optional)</label>
  <input id="cleared-note" name="note" type="text" maxlength="${TEXT_LIMITS.note}" autocomplete="off">
  <button type="submit" class="button">A clinician has seen my knee</button>
  <p class="muted small">Press this after the visit: red flags reported before now stop holding the advice. A new red flag starts again.</p>
</form>`;
}

/**
 * The return ladder as a plan (science.md "The return ladder"): the six steps as a list, the
 * runner's step marked in words ("You are here") as well as by colour. What to do today is the
 * headline right above, and when to move up is in the suggestion: neither is repeated here.
 */
function planCard(plan: ReturnPlan): Safe {
  return h`<section class="plan" aria-labelledby="plan-title">
  <h3 id="plan-title">Your return ladder${plan.knee ? ` (${plan.knee} knee)` : ''}: step ${String(plan.step)} of ${String(plan.steps.length)}</h3>
  <ol class="steps">${plan.steps.map((text, i) =>
    i + 1 === plan.step
      ? h`<li class="current" aria-current="step"><span class="here">You are here</span> ${text}</li>`
      : h`<li${i + 1 < plan.step ? h` class="done"` : ''}>${text}</li>`,
  )}</ol>
  <p class="muted small">One session every other day; in a walk-run, repeat the minutes of running and walking for the whole session. More than 5/10, a sharp pain or a limp takes you back a step. (kneecheck's own steps, after the runner guide and the pain-monitoring model.)</p>
</section>`;
}

/**
 * A reason's threshold for people: a number as "(threshold 1.1)", words as they are ("2 of 6",
 * "(more than 7)"), never "threshold of 6".
 */
function thresholdWords(t: Exclude<Because['threshold'], null>): string {
  if (typeof t !== 'string') return `(threshold ${formatBecauseValue(t)})`;
  return t.startsWith('of ') ? t : `(${t})`;
}

/** The advice with every suggestion and every reason behind it (in words, value, threshold, source). */
export function adviceCard(
  advice: Advice,
  zone: string,
  intro?: Part,
  opts: { clearCsrf?: string; noRecentRuns?: boolean } = {},
): Safe {
  const generated = DateTime.fromISO(advice.generatedAt)
    .setZone(zone)
    .toFormat('d LLL yyyy, HH:mm');
  // Without recent runs there is no load to judge: no green "OK" (issue 11, honest states).
  const quiet = advice.level === 'ok' && opts.noRecentRuns === true;
  const shown = quiet ? 'none' : advice.level;
  return h`<section class="card advice level-${shown}" id="advice" aria-labelledby="advice-title">
  ${intro ?? ''}
  <p class="badge level-${shown}" data-level="${advice.level}"${quiet ? h` data-state="no-recent-runs"` : ''}>${quiet ? 'No recent runs' : LEVEL_LABEL[advice.level]}</p>
  <h2 id="advice-title" class="headline">${advice.headline}</h2>
  <ol class="suggestions">
  ${advice.suggestions.map(
    (s) => h`<li class="suggestion" data-code="${s.code}">
    <p>${withCode(s.message)}</p>
    ${
      s.because.length > 0
        ? h`<details class="why"><summary>Why</summary><ul class="because" aria-label="Why this advice">
      ${s.because.map(
        (b) =>
          h`<li data-signal="${b.signal}"><span class="label">${b.label}</span>: <strong>${formatBecauseValue(b.value)}</strong>${
            b.threshold === null || b.threshold === 'reported'
              ? ''
              : h` <span class="threshold">${thresholdWords(b.threshold)}</span>`
          } · ${sourceLink(b.source)}</li>`,
      )}
    </ul></details>`
        : ''
    }
  </li>`,
  )}
  </ol>
  ${advice.plan ? planCard(advice.plan) : ''}
  ${advice.level === 'see-doctor' && opts.clearCsrf ? clearanceForm(opts.clearCsrf) : ''}
  <p class="muted small">As of ${generated} (${zone}). <a href="/sources">Sources</a></p>
</section>`;
}

/** "Tue 24 Nov 2026, 18:15" in the runner's zone. */
export const when = (iso: string, zone: string): string =>
  DateTime.fromISO(iso).setZone(zone).toFormat('ccc d LLL yyyy, HH:mm');

/**
 * A date or a time for people: "24 Nov 2026" / "Tue 24 Nov 2026, 18:15" in `zone` (never the
 * month first), which /assets/app.js rewrites in the runner's own locale with `Intl`. `iso` is an
 * instant, or a calendar day (`2026-11-23`, shown as that day whatever the zone).
 */
export function timeTag(iso: string, zone: string, style: 'date' | 'datetime' = 'datetime'): Safe {
  const day = /^\d{4}-\d\d-\d\d$/.test(iso);
  const dt = day ? DateTime.fromISO(iso, { zone: 'UTC' }) : DateTime.fromISO(iso).setZone(zone);
  const text = dt.toFormat(style === 'date' ? 'd LLL yyyy' : 'ccc d LLL yyyy, HH:mm');
  return h`<time datetime="${iso}" data-style="${style}" data-zone="${day ? 'UTC' : zone}">${text}</time>`;
}

/** A calendar day or the day of an instant, in the runner's locale (see {@link timeTag}). */
export const localDate = (iso: string, zone: string): Safe => timeTag(iso, zone, 'date');

const FT_PER_M = 3.28084;

/** Step length in the configured units: "1.02 m" / "3.35 ft". */
export function formatStepLength(m: number | null, units: Units): string {
  if (m === null) return '–';
  return units === 'imperial' ? `${(m * FT_PER_M).toFixed(2)} ft` : `${m.toFixed(2)} m`;
}

/** Labels of the yes/no answers, as the form asks them and the timeline lists them. */
export const FLAG_LABELS: Record<KneeFlag, { short: string; question: string }> = {
  swelling: { short: 'swelling', question: 'The knee is swollen' },
  locking: { short: 'locking', question: 'It locks or catches' },
  givingWay: { short: 'giving way', question: 'It gives way' },
  sharp: { short: 'sharp', question: 'The pain is sharp or constant' },
  changedGait: { short: 'changed gait', question: 'It changed how I ran (a limp)' },
  cannotBearWeight: { short: 'cannot bear weight', question: 'I cannot put weight on the leg' },
  hotRedFever: {
    short: 'hot, red, fever',
    question: 'The knee is hot and red, with a fever or feeling unwell',
  },
};

/** The answered flags of a check, for people. */
export const flagsOf = (c: KneeCheck): string[] =>
  (Object.keys(FLAG_LABELS) as (keyof typeof FLAG_LABELS)[])
    .filter((k) => c[k])
    .map((k) => FLAG_LABELS[k].short);

/** Severity class of a pain score: none, mild (≤ 3), moderate (≤ 5), severe. */
export const painClass = (pain: number): string =>
  pain === 0 ? 'pain-none' : pain <= 3 ? 'pain-mild' : pain <= 5 ? 'pain-moderate' : 'pain-severe';

/** One knee check as a timeline entry. */
export function checkItem(c: KneeCheck, zone: string, runLink?: Part, actions?: Part): Safe {
  const flags = flagsOf(c);
  return h`<li class="check">
  <span class="when">${timeTag(c.checkedAt, zone)}</span>
  <span class="pain ${painClass(c.pain)}">pain ${painWords(c)}</span>
  <span class="knee-side${c.knee === null ? ' muted' : ''}">${kneeWords(c.knee)}</span>
  <span class="where">${c.where.length > 0 ? c.where.join(', ') : 'no location'}</span>
  ${flags.length > 0 ? h`<span class="flags">${flags.join(', ')}</span>` : ''}
  ${c.note ? h`<span class="note">“${c.note}”</span>` : ''}
  ${runLink ?? ''}
  ${actions ?? ''}
</li>`;
}

/** The address of a run's page. */
export const runHref = (id: string): string => `/runs/${encodeURIComponent(id)}`;

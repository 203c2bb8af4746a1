import type { AdviceLevel, Because, KneeCheck } from '../model.ts';
import { formatDistance, formatPace } from '../format.ts';
import { round } from '../load/form-summary.ts';
import {
  cadencePoints,
  cadenceVsLine,
  fitCadenceLine,
  lateDrop,
  stepLengthVsLine,
} from '../load/stride.ts';
import { restDays, consecutiveRunDays } from '../load/weeks.ts';
import { day, ms, runEndMs, type Facts } from './facts.ts';
import type { Thresholds } from './thresholds.ts';

/** A rule that fired: the values for its message and the reasons behind it. */
export interface Fired {
  values: Record<string, string | number>;
  because: Because[];
  /** Overrides the rule's level (long strides are a tip unless the knee hurts). */
  level?: AdviceLevel | 'tip';
}

type Evaluate = (f: Facts, t: Thresholds) => Fired | null;

const FLAG_NAMES: Record<string, string> = {
  hotRedFever: 'a hot, red knee with fever',
  cannotBearWeight: 'not being able to bear weight',
  locking: 'a locked or catching knee',
  swelling: 'swelling',
  givingWay: 'the knee giving way',
};
const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function flagRule(flags: (keyof KneeCheck)[], source: string): Evaluate {
  return (f) => {
    const c = f.latestCheck;
    if (!c) return null;
    const present = flags.filter((k) => c[k] === true);
    if (present.length === 0) return null;
    return {
      values: {
        date: day(c.checkedAt, f.input.zone),
        flags: present.map((k) => FLAG_NAMES[k]).join(' and '),
      },
      because: present.map((k) => ({
        signal: `knee-check.${kebab(k)}`,
        value: true,
        threshold: 'reported',
        source,
      })),
    };
  };
}

/** Pain > 0 in every check of the latest run of painful checks, for more than `painDays` days. */
const painDuration: Evaluate = (f, t) => {
  const chain: KneeCheck[] = [];
  for (let i = f.checks.length - 1; i >= 0 && (f.checks[i]?.pain ?? 0) > 0; i--)
    chain.unshift(f.checks[i] as KneeCheck);
  // Look further back than the relevance window for the start of a long chain.
  const all = [...f.input.checks].sort((a, b) => ms(a.checkedAt) - ms(b.checkedAt) || a.id - b.id);
  const first = chain[0];
  if (!first) return null;
  let since = first;
  for (let i = all.findIndex((c) => c.id === first.id) - 1; i >= 0 && (all[i]?.pain ?? 0) > 0; i--)
    since = all[i] as KneeCheck;
  const days = (f.now.toMillis() - ms(since.checkedAt)) / 86_400_000;
  const last = chain.at(-1) as KneeCheck;
  const spanDays = (ms(last.checkedAt) - ms(since.checkedAt)) / 86_400_000;
  if (spanDays <= t.painDays) return null;
  return {
    values: {
      days: Math.floor(days),
      since: day(since.checkedAt, f.input.zone),
      limit: t.painDays,
    },
    because: [
      {
        signal: 'pain-days',
        value: round(spanDays, 1),
        threshold: t.painDays,
        source: 'GUIDE-2026',
      },
    ],
  };
};

const hasRunBetween = (f: Facts, fromMs: number, toMs: number) =>
  f.runs.some((r) => ms(r.startTime) > fromMs && ms(r.startTime) <= toMs);

const painRiseAtRest: Evaluate = (f) => {
  const [a, b] = f.checks.slice(-2);
  if (!a || !b || b.pain <= a.pain || hasRunBetween(f, ms(a.checkedAt), ms(b.checkedAt)))
    return null;
  const z = f.input.zone;
  return {
    values: {
      from: a.pain,
      to: b.pain,
      fromDate: day(a.checkedAt, z),
      toDate: day(b.checkedAt, z),
    },
    because: [
      {
        signal: 'pain-change-without-run',
        value: b.pain - a.pain,
        threshold: 'any rise',
        source: 'GUIDE-2026',
      },
    ],
  };
};

const sharpOrGait: Evaluate = (f, t) => {
  const c = f.latestCheck;
  if (!c) return null;
  const because: Because[] = [];
  const what: string[] = [];
  if (c.sharp) {
    because.push({
      signal: 'knee-check.sharp',
      value: true,
      threshold: 'reported',
      source: 'GUIDE-2026',
    });
    what.push('sharp or constant pain');
  }
  if (c.changedGait) {
    because.push({
      signal: 'knee-check.changed-gait',
      value: true,
      threshold: 'reported',
      source: 'GUIDE-2026',
    });
    what.push('pain that changed how you ran');
  }
  if (c.pain > t.stopPainAbove) {
    because.push({
      signal: 'pain',
      value: c.pain,
      threshold: t.stopPainAbove,
      source: 'PAIN-MONITORING',
    });
    what.push(`pain of ${c.pain}/10`);
  }
  return because.length === 0
    ? null
    : { values: { date: day(c.checkedAt, f.input.zone), what: what.join(' and ') }, because };
};

const painNotSettling: Evaluate = (f, t) => {
  const c = f.latestCheck;
  if (!c || c.pain === 0) return null;
  const z = f.input.zone;
  const run = c.runId ? f.runs.find((r) => r.id === c.runId) : undefined;
  const hours = run ? (ms(c.checkedAt) - runEndMs(run)) / 3_600_000 : null;
  if (run && hours !== null && hours >= t.settleHours) {
    return {
      values: {
        what: `Your knee still hurt (${c.pain}/10) ${Math.round(hours)} h after your run on ${day(run.startTime, z)}.`,
      },
      because: [
        {
          signal: 'hours-after-run-with-pain',
          value: round(hours, 1),
          threshold: t.settleHours,
          source: 'PAIN-MONITORING',
        },
      ],
    };
  }
  const prev = f.checks.at(-2);
  if (prev && c.pain > prev.pain && hasRunBetween(f, ms(prev.checkedAt), ms(c.checkedAt))) {
    return {
      values: {
        what: `Your pain grew from ${prev.pain}/10 (${day(prev.checkedAt, z)}) to ${c.pain}/10 (${day(c.checkedAt, z)}).`,
      },
      because: [
        {
          signal: 'pain-change',
          value: c.pain - prev.pain,
          threshold: 'any rise',
          source: 'PAIN-MONITORING',
        },
      ],
    };
  }
  return null;
};

const moderatePain: Evaluate = (f, t) => {
  const c = f.latestCheck;
  if (!c || c.pain <= t.mildPainMax || c.pain > t.stopPainAbove) return null;
  return {
    values: { pain: c.pain, date: day(c.checkedAt, f.input.zone), limit: t.mildPainMax },
    because: [{ signal: 'pain', value: c.pain, threshold: t.mildPainMax, source: 'kneecheck' }],
  };
};

const mildPain: Evaluate = (f, t) => {
  const week = f.now.toMillis() - 7 * 86_400_000;
  const painful = f.checks.filter((c) => c.pain > 0 && ms(c.checkedAt) >= week).at(-1);
  const latest = f.latestCheck;
  if (!painful || !latest || painful.pain > t.mildPainMax || latest.pain > t.mildPainMax)
    return null;
  const settled =
    latest.pain === 0 ? `; it had settled to 0/10 by ${day(latest.checkedAt, f.input.zone)}` : '';
  return {
    values: { pain: painful.pain, date: day(painful.checkedAt, f.input.zone), settled },
    because: [
      { signal: 'pain', value: painful.pain, threshold: t.mildPainMax, source: 'GUIDE-2026' },
    ],
  };
};

/** RUNSAFE-2025 hazard ratios by how much longer than the 30-day longest a run was. */
const hazardFor = (ratio: number) => (ratio > 2 ? 2.28 : ratio > 1.3 ? 1.52 : 1.64);

function spike(min: keyof Thresholds, max: keyof Thresholds | null): Evaluate {
  return (f, t) => {
    const run = f.recentRun;
    const s = f.spike;
    if (!run || !s) return null;
    if (s.ratio === null || s.longestPrevious30DaysM === null) return null;
    if (s.ratio <= t[min] || (max !== null && s.ratio > t[max])) return null;
    const u = f.input.units;
    return {
      values: {
        date: day(run.startTime, f.input.zone),
        distance: formatDistance(s.distanceM, u),
        pct: Math.round((s.ratio - 1) * 100),
        longest: formatDistance(s.longestPrevious30DaysM, u),
        hazard: hazardFor(s.ratio),
        limit: formatDistance(s.longestPrevious30DaysM * t.spikeCaution, u),
      },
      because: [
        {
          signal: 'run-vs-longest-30-days',
          value: round(s.ratio, 2),
          threshold: t[min],
          source: 'RUNSAFE-2025',
        },
        ...acwrContext(f, t),
      ],
    };
  };
}

/** EWMA acute:chronic as context: shown beside a load reason, never alone (GABBETT-2016). */
function acwrContext(f: Facts, t: Thresholds): Because[] {
  const a = f.acwr();
  return a !== null && a > t.acwrHigh
    ? [
        {
          signal: 'acwr (context only)',
          value: round(a, 2),
          threshold: t.acwrHigh,
          source: 'GABBETT-2016',
        },
      ]
    : [];
}

const weeklyRamp: Evaluate = (f, t) => {
  const r = f.ramp;
  if (r.ratio === null || r.ratio <= t.weeklyRamp) return null;
  const u = f.input.units;
  return {
    values: {
      last: formatDistance(r.last7DaysM, u),
      previous: formatDistance(r.previous7DaysM, u),
      pct: Math.round((r.ratio - 1) * 100),
      limit: formatDistance(r.previous7DaysM * 1.1, u),
    },
    because: [
      {
        signal: 'last-7-days-vs-previous-7-days',
        value: round(r.ratio, 2),
        threshold: t.weeklyRamp,
        source: 'NIELSEN-2014',
      },
      {
        signal: 'next-7-days-limit-vs-previous-7-days',
        value: 1.1,
        threshold: null,
        source: 'kneecheck',
      },
      ...acwrContext(f, t),
    ],
  };
};

const noRest: Evaluate = (f) => {
  if (f.runs.length === 0 || restDays(f.runs, f.input.zone, f.input.now, 7) > 0) return null;
  return {
    values: { streak: consecutiveRunDays(f.runs, f.input.zone, f.input.now) },
    because: [{ signal: 'rest-days-last-7', value: 0, threshold: 0, source: 'GUIDE-2026' }],
  };
};

/**
 * Long strides matter more when the knee hurts: with front-of-knee pain, or pain ≥ 3/10 in two
 * checks about the last five runs, they raise the level to caution; otherwise they are a tip.
 */
function strideLevel(f: Facts): 'caution' | 'tip' {
  const c = f.latestCheck;
  if (c && c.pain > 0 && c.where.includes('front')) return 'caution';
  const lastFive = new Set(f.runs.slice(-5).map((r) => r.id));
  const painful = f.checks.filter((x) => x.runId && lastFive.has(x.runId) && x.pain >= 3).length;
  return painful >= 2 ? 'caution' : 'tip';
}

const targetSpm = (spm: number, t: Thresholds) => ({
  target: Math.round(spm * (1 + t.stepRateIncreasePct / 100)),
  max: Math.round(spm * (1 + t.stepRateIncreaseMaxPct / 100)),
});

const longStrides: Evaluate = (f, t) => {
  const run = f.recentRun;
  if (!run) return null;
  const forms = f.input.forms;
  const from = ms(run.startTime) - 60 * 86_400_000;
  const baseline = f.runs.filter(
    (r) => r.id !== run.id && ms(r.startTime) >= from && ms(r.startTime) < ms(run.startTime),
  );
  const line = fitCadenceLine(baseline.map((r) => cadencePoints(r, forms.get(r.id) ?? null)));
  const matched = cadenceVsLine(cadencePoints(run, forms.get(run.id) ?? null), line);
  if (!matched) return null;
  const sl = stepLengthVsLine(run, forms.get(run.id) ?? null, line, matched);
  const low = matched.deltaPct <= -t.cadenceDropPct;
  const long = sl !== null && sl.deltaPct >= t.stepLengthRisePct;
  if (!low && !long) return null;
  const source = 'CADENCE-SPEED';
  const because: Because[] = [
    {
      signal: `step-rate-vs-${line.basis}-line-pct`,
      value: round(matched.deltaPct, 1),
      threshold: -t.cadenceDropPct,
      source,
    },
  ];
  if (sl)
    because.push({
      signal: 'step-length-vs-line-pct',
      value: round(sl.deltaPct, 1),
      threshold: t.stepLengthRisePct,
      source: 'WILLSON-2014',
    });
  because.push({
    signal: 'suggested-step-rate-increase-pct',
    value: t.stepRateIncreasePct,
    threshold: t.stepRateIncreaseMaxPct,
    source: 'HEIDERSCHEIT-2011',
  });
  const { target, max } = targetSpm(matched.actualSpm, t);
  return {
    level: strideLevel(f),
    values: {
      date: day(run.startTime, f.input.zone),
      actual: Math.round(matched.actualSpm),
      expected: Math.round(matched.expectedSpm),
      pace: formatPace(matched.speedMps, f.input.units),
      pct: Math.abs(round(matched.deltaPct, 1)),
      basis: line.basis === 'runner' ? 'own' : 'beginner (population)',
      stepLength:
        sl && sl.deltaPct > 0
          ? ` and your steps ${round(sl.deltaPct, 1)} % longer (${sl.actualM.toFixed(2)} m)`
          : '',
      target,
      max,
      increase: t.stepRateIncreasePct,
      maxIncrease: t.stepRateIncreaseMaxPct,
    },
    because,
  };
};

/** Speeds of the first and last fifth within this percentage count as "similar". */
const SIMILAR_SPEED_PCT = 5;

const lateRunDrop: Evaluate = (f, t) => {
  const run = f.recentRun;
  const d = run ? lateDrop(f.input.forms.get(run.id) ?? null) : null;
  if (!run || !d || d.changePct > -t.lateDropPct || Math.abs(d.speedChangePct) > SIMILAR_SPEED_PCT)
    return null;
  return {
    level: strideLevel(f),
    values: {
      date: day(run.startTime, f.input.zone),
      pct: Math.abs(round(d.changePct, 1)),
      first: Math.round(d.firstFifthSpm),
      last: Math.round(d.lastFifthSpm),
      target: Math.round(d.firstFifthSpm),
    },
    because: [
      {
        signal: 'last-fifth-vs-first-fifth-step-rate-pct',
        value: round(d.changePct, 1),
        threshold: -t.lateDropPct,
        source: 'kneecheck',
      },
      {
        signal: 'speed-change-pct',
        value: round(d.speedChangePct, 1),
        threshold: SIMILAR_SPEED_PCT,
        source: 'kneecheck',
      },
    ],
  };
};

/** How each rule of the table is evaluated, by rule id. */
export const EVALUATORS: Readonly<Record<string, Evaluate>> = {
  'red-flag-urgent': flagRule(['hotRedFever', 'cannotBearWeight', 'locking'], 'RED-FLAGS'),
  'red-flag-swelling-giving-way': flagRule(['swelling', 'givingWay'], 'GUIDE-2026'),
  'red-flag-duration': painDuration,
  'red-flag-rest': painRiseAtRest,
  'sharp-or-gait': sharpOrGait,
  'pain-not-settling': painNotSettling,
  'moderate-pain': moderatePain,
  'session-spike': spike('spikeEaseOff', null),
  'weekly-ramp': weeklyRamp,
  'session-spike-caution': spike('spikeCaution', 'spikeEaseOff'),
  'mild-pain': mildPain,
  'no-rest': noRest,
  'long-strides': longStrides,
  'late-drop': lateRunDrop,
};

/** The load numbers behind "keep going", so even that advice shows its evidence. */
export function okContext(f: Facts, t: Thresholds): Because[] {
  const out: Because[] = [];
  const s = f.spike;
  if (s) {
    out.push({
      signal: 'run-vs-longest-30-days',
      value: s.ratio === null ? null : round(s.ratio, 2),
      threshold: t.spikeCaution,
      source: 'RUNSAFE-2025',
    });
  }
  const r = f.ramp;
  out.push({
    signal: 'last-7-days-vs-previous-7-days',
    value: r.ratio === null ? null : round(r.ratio, 2),
    threshold: t.weeklyRamp,
    source: 'NIELSEN-2014',
  });
  return out;
}

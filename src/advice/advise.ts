import type {
  Advice,
  AdviceLevel,
  Because,
  FormSummary,
  KneeCheck,
  Run,
  RunId,
  Suggestion,
  SuggestionCode,
} from '../model.ts';
import { ADVICE_LEVELS } from '../model.ts';
import type { Units } from '../format.ts';
import { EVALUATORS, okContext, type Fired } from './evaluate.ts';
import { factsOf, type Facts } from './facts.ts';
import { GENERAL_GUIDANCE, LOCATION_GUIDANCE } from './guidance.ts';
import { RULES, fill, rule, type Rule } from './rules.ts';
import { DEFAULT_THRESHOLDS } from './thresholds.ts';
import type { Thresholds } from './thresholds.ts';

export interface AdviceInput {
  /** All stored runs (any order); runs after `now` are ignored. */
  runs: readonly Run[];
  forms: ReadonlyMap<RunId, FormSummary>;
  /** All knee checks (any order); checks after `now` are ignored. */
  checks: readonly KneeCheck[];
  now: Date;
  /** The runner's IANA zone. */
  zone: string;
  units: Units;
  thresholds?: Thresholds;
}

const severity = (level: AdviceLevel) => ADVICE_LEVELS.indexOf(level);

/** Suggestions that still make sense at each level: when the knee needs a clinician or rest, load tips would only confuse. */
const KEPT_AT: Partial<Record<AdviceLevel, readonly SuggestionCode[]>> = {
  'see-doctor': ['see-doctor', 'avoid-movements'],
  stop: ['rest-until-pain-free', 'avoid-movements', 'stretch'],
};

/** Where-it-hurts guidance (GUIDE-2026): strengthen, stretch, avoid, for the locations reported. */
function guidance(f: Facts): Suggestion[] {
  const c = f.latestCheck;
  if (!c || c.pain === 0) return [];
  const codes = ['strengthen', 'stretch', 'avoid-movements'] as const;
  const because: Because[] = [
    {
      signal: 'knee-check.where',
      value: c.where.length > 0 ? c.where.join(',') : 'not given',
      threshold: null,
      source: 'GUIDE-2026',
    },
  ];
  return codes.map((code) => {
    const texts = c.where
      .map((w) => LOCATION_GUIDANCE[w][code])
      .filter((s): s is string => Boolean(s));
    const about = c.where.map((w) => LOCATION_GUIDANCE[w].about);
    const message =
      texts.length > 0
        ? [...(code === 'strengthen' ? about : []), ...texts].join(' ')
        : (GENERAL_GUIDANCE[code] ?? '');
    return { code, message, because };
  });
}

/** Adds a suggestion, merging with an earlier one of the same code. */
function add(list: Suggestion[], s: Suggestion): void {
  const same = list.find((x) => x.code === s.code);
  if (!same) {
    list.push({ ...s, because: [...s.because] });
    return;
  }
  if (!same.message.includes(s.message)) same.message = `${same.message} ${s.message}`;
  for (const b of s.because) {
    if (!same.because.some((x) => x.signal === b.signal && x.value === b.value))
      same.because.push(b);
  }
}

/**
 * The current advice (DESIGN §1, §4): evaluates the rule table against the runs and knee checks
 * up to `now`. The level is the worst fired rule's (red flags > stop > ease-off > caution > ok);
 * every suggestion carries the signals, values, thresholds and sources behind it.
 */
export function advise(input: AdviceInput): Advice {
  const t = input.thresholds ?? DEFAULT_THRESHOLDS;
  const f = factsOf(input);
  const fired: { rule: Rule; fired: Fired; level: AdviceLevel | 'tip' }[] = [];
  for (const r of RULES) {
    const result = EVALUATORS[r.id]?.(f, t);
    if (result) fired.push({ rule: r, fired: result, level: result.level ?? r.level });
  }
  let level: AdviceLevel = 'ok';
  for (const x of fired)
    if (x.level !== 'tip' && severity(x.level) < severity(level)) level = x.level;
  const lead = fired.find((x) => x.level === level);

  const suggestions: Suggestion[] = [];
  for (const x of fired) {
    const message = fill(x.rule.message, x.fired.values);
    for (const code of x.rule.codes) add(suggestions, { code, message, because: x.fired.because });
  }
  for (const s of guidance(f)) add(suggestions, s);
  const ok = rule('ok');
  if (level === 'ok')
    add(suggestions, { code: 'keep-going', message: ok.message, because: okContext(f, t) });
  const kept = KEPT_AT[level];
  return {
    level,
    headline: lead ? fill(lead.rule.headline, lead.fired.values) : ok.headline,
    suggestions: kept ? suggestions.filter((s) => kept.includes(s.code)) : suggestions,
    generatedAt: input.now.toISOString(),
  };
}

import { dayNumberOf, localDayNumber } from '../load/days.ts';
import type { Advice, AdviceLevel, ReturnPlan, Suggestion, SuggestionCode } from '../model.ts';
import { LADDER_STEPS, ladderState, type LadderState } from './ladder.ts';
import { ladderToday } from './rules/return-ladder.ts';
import { ADVICE_LEVELS } from '../model.ts';
import { factsOf, ms } from './facts.ts';
import { forKnee, kneeLabel, kneesOf, labelled } from './knees.ts';
import { OK_HEADLINE, keepGoing } from './ok.ts';
import { RULES } from './rules/index.ts';
import { DEFAULT_THRESHOLDS } from './thresholds.ts';
import type { AdviceInput, Facts, Finding, KneeSideAbout } from './types.ts';

export type { AdviceInput } from './types.ts';

const severity = (level: AdviceLevel) => ADVICE_LEVELS.indexOf(level);

/** Load rules a run on the return ladder is not read against (science.md "The return ladder"). */
const READ_AGAINST_THE_STEP = new Set(['session-spike', 'weekly-ramp', 'returning']);

/** The return ladder as a plan, for the knee on it (the lower step, when both are). */
function planOf(
  knees: readonly { side: KneeSideAbout | null; ladder: LadderState }[],
  f: Facts,
): ReturnPlan | null {
  let best: { side: KneeSideAbout | null; step: number; lastDay: number | null } | null = null;
  for (const k of knees) {
    if (k.ladder.kind !== 'ladder') continue;
    const lastDay = k.ladder.last
      ? localDayNumber(k.ladder.last.run.startTime, f.input.zone)
      : null;
    if (!best || k.ladder.step < best.step) best = { side: k.side, step: k.ladder.step, lastDay };
  }
  if (!best) return null;
  return {
    knee: best.side,
    step: best.step,
    steps: LADDER_STEPS.map((s) => s.text),
    today: ladderToday(best.step, best.lastDay, dayNumberOf(f.input.now, f.input.zone)),
  };
}

/** Suggestions that still make sense at each level: when the knee needs a clinician or rest, load tips would only confuse. */
const KEPT_AT: Partial<Record<AdviceLevel, readonly SuggestionCode[]>> = {
  'see-doctor': ['see-doctor', 'avoid-movements'],
  stop: ['rest-until-pain-free', 'avoid-movements', 'stretch', 'return-gradually'],
};

/** Sentences of a message ("A. B? C!" → three), for keeping each said once. */
const sentences = (text: string): string[] =>
  text
    .split(/(?<=[.!?])\s+(?=[A-Z("`'])/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * One suggestion per code, each sentence said once across all of them: a later rule's message
 * for the same code is appended without the sentences already said; its reasons are merged.
 */
function collect(findings: readonly Finding[]): Suggestion[] {
  const said = new Set<string>();
  const out: Suggestion[] = [];
  for (const f of findings) {
    for (const part of f.parts) {
      const fresh = sentences(part.message).filter((s) => !said.has(s));
      for (const s of fresh) said.add(s);
      const same = out.find((x) => x.code === part.code);
      if (!same) {
        if (fresh.length > 0)
          out.push({ code: part.code, message: fresh.join(' '), because: [...part.because] });
        continue;
      }
      if (fresh.length > 0) same.message = `${same.message} ${fresh.join(' ')}`;
      for (const b of part.because)
        if (!same.because.some((x) => x.signal === b.signal && x.value === b.value))
          same.because.push(b);
    }
  }
  return out;
}

/**
 * The current advice (DESIGN §1, §4): evaluates the rule table (`rules/`) against the runs, knee
 * checks and clearances up to `now`. The level is the worst finding's (red flags > stop >
 * ease-off > caution > ok; tips leave it); the headline is the first finding's at that level;
 * every suggestion carries the signals, values, thresholds and sources behind it.
 */
export function advise(input: AdviceInput): Advice {
  const t = input.thresholds ?? DEFAULT_THRESHOLDS;
  const f = factsOf(input);
  const worst = (xs: readonly Finding[]): AdviceLevel => {
    let level: AdviceLevel = 'ok';
    for (const x of xs)
      if (x.level !== 'tip' && severity(x.level) < severity(level)) level = x.level;
    return level;
  };
  // Each knee on its own (science.md "Each knee has its own state"): the knee rules run on the
  // checks about that knee; the worse knee speaks, and the headline names it.
  const knees = kneesOf(f).map((side) => {
    const kf = forKnee(f, side);
    const byRule = new Map<string, Finding>();
    for (const rule of RULES) {
      if (rule.scope !== 'knee') continue;
      const found = rule.evaluate(kf, t);
      if (found) byRule.set(rule.id, found);
    }
    const found = [...byRule.values()];
    const level = worst(found);
    const leadId = [...byRule].find(([, x]) => x.level === level)?.[0] ?? null;
    const lastMs = kf.checks.length > 0 ? ms(kf.checks.at(-1)?.checkedAt ?? '') : -Infinity;
    return { side, byRule, level, leadId, lastMs, ladder: ladderState(kf, t) };
  });
  // The worse knee; of two alike, the one checked last.
  const [knee, other] = [...knees].sort(
    (a, b) => severity(a.level) - severity(b.level) || b.lastMs - a.lastMs,
  );
  if (!knee) throw new Error('no knee to advise on');
  const same = other && other.level === knee.level && other.leadId === knee.leadId;
  const label =
    knee.side === null || knee.level === 'ok' ? '' : kneeLabel(same ? 'both' : knee.side);
  const findings: Finding[] = [];
  const fromKnee = new Set<Finding>();
  // Runs on the return ladder are read against its step, not the spike, ramp and comeback rules.
  const onLadder = knees.some((k) => k.ladder.kind === 'ladder' || k.ladder.kind === 'stopped');
  for (const rule of RULES) {
    if (onLadder && READ_AGAINST_THE_STEP.has(rule.id)) continue;
    if (rule.scope === 'knee') {
      const found = knee.byRule.get(rule.id);
      if (found) {
        findings.push(found);
        fromKnee.add(found);
      }
      continue;
    }
    const found = rule.evaluate(f, t);
    if (found) findings.push(found);
  }
  // The other knee, when it is as bad for another reason: its words, named.
  if (other && other.side !== null && !same && other.level === knee.level && other.level !== 'ok')
    for (const x of other.byRule.values())
      if (x.level === other.level)
        findings.push({
          ...x,
          parts: x.parts.map((p) => ({
            ...p,
            message: `${kneeLabel(other.side ?? 'both')}: ${p.message}`,
          })),
        });
  const level = worst(findings);
  // With nothing to change, a first-runs or long-break tip says what the runner most needs.
  const lead =
    findings.find((x) => x.level === level) ??
    findings.find((x) => x.parts.some((p) => p.code === 'return-gradually'));

  // The lead finding's words first, then the others by severity (the sort is stable).
  const rank = (x: Finding) =>
    x === lead ? -1 : x.level === 'tip' ? ADVICE_LEVELS.length : severity(x.level);
  const suggestions = collect([...findings].sort((a, b) => rank(a) - rank(b)));
  if (level === 'ok') suggestions.push(keepGoing(f, t));
  const kept = KEPT_AT[level];
  const headline = lead?.headline || OK_HEADLINE;
  const plan = level === 'see-doctor' ? null : planOf(knees, f);
  return {
    level,
    headline: lead && fromKnee.has(lead) ? labelled(label, headline) : headline,
    suggestions: kept ? suggestions.filter((s) => kept.includes(s.code)) : suggestions,
    generatedAt: input.now.toISOString(),
    ...(plan ? { plan } : {}),
  };
}

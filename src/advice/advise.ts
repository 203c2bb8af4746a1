import type { Advice, AdviceLevel } from '../model.ts';
import { KEPT_AT, READ_AGAINST_THE_STEP, collect, planOf, withOneTarget } from './compose.ts';
import { ladderState } from './ladder.ts';
import { ADVICE_LEVELS } from '../model.ts';
import { factsOf, ms } from './facts.ts';
import { forKnee, kneeLabel, kneesOf, labelled } from './knees.ts';
import { OK_HEADLINE, keepGoing } from './ok.ts';
import { RULES } from './rules/index.ts';
import { DEFAULT_THRESHOLDS } from './thresholds.ts';
import type { AdviceInput, Finding, KneeSideAbout, Part } from './types.ts';

export type { AdviceInput } from './types.ts';

const severity = (level: AdviceLevel) => ADVICE_LEVELS.indexOf(level);

/** A part's words about one knee: "Left knee: you reported …". */
const named = (side: KneeSideAbout | 'both', p: Part): Part => ({
  ...p,
  message: `${kneeLabel(side)}: ${p.message[0]?.toLowerCase() ?? ''}${p.message.slice(1)}`,
});

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
  // The other knee, when it is as bad for its own reasons (its checks, not the ones about both
  // knees): its own words beside the worse knee's, each named.
  const extra =
    other && other.side !== null && other.level === knee.level && other.leadId
      ? other.byRule.get(other.leadId)
      : undefined;
  const leadSaid = new Set([...knee.byRule.values()].flatMap((x) => x.parts.map((p) => p.message)));
  const extraParts = extra?.parts.filter((p) => !leadSaid.has(p.message)) ?? [];
  if (extra && other?.side && knee.side && extraParts.length > 0) {
    const codes = new Set(extraParts.map((p) => p.code));
    const own = knee.leadId ? knee.byRule.get(knee.leadId) : undefined;
    const at = own ? findings.indexOf(own) : -1;
    if (own && at >= 0) {
      const renamed = {
        ...own,
        parts: own.parts.map((p) => (codes.has(p.code) ? named(knee.side ?? 'both', p) : p)),
      };
      findings[at] = renamed;
      fromKnee.add(renamed);
    }
    findings.push({ ...extra, parts: extraParts.map((p) => named(other.side ?? 'both', p)) });
  }
  const level = worst(findings);
  // With nothing to change, a first-runs or long-break tip says what the runner most needs.
  const lead =
    findings.find((x) => x.level === level) ??
    findings.find((x) => x.parts.some((p) => p.code === 'return-gradually'));

  // The lead finding's words first, then the others by severity (the sort is stable).
  const rank = (x: Finding) =>
    x === lead ? -1 : x.level === 'tip' ? ADVICE_LEVELS.length : severity(x.level);
  const targeted = withOneTarget([...findings].sort((a, b) => rank(a) - rank(b)));
  const suggestions = collect(targeted.findings, targeted.target);
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

import { dayNumberOf, localDayNumber } from '../load/days.ts';
import type { AdviceLevel, ReturnPlan, Suggestion, SuggestionCode } from '../model.ts';
import { LADDER_STEPS, type LadderState } from './ladder.ts';
import { ladderToday } from './rules/return-ladder.ts';
import type { Facts, Finding, KneeSideAbout, Part } from './types.ts';

/** At most this many sentences per suggestion (issue 23: short, plain, doable); the numbers are in `because`. */
export const MAX_SENTENCES = 3;

/**
 * One distance target per advice, the most restrictive, said once (science.md "One answer per
 * history"): the part that gives it says its sentence; the others keep their reasons only.
 */
export function withOneTarget(findings: readonly Finding[]): {
  findings: Finding[];
  target: string | null;
} {
  let tightest: Part | null = null;
  for (const x of findings)
    for (const p of x.parts)
      if (p.target && (tightest?.target === undefined || p.target.m < tightest.target.m))
        tightest = p;
  if (!tightest?.target) return { findings: [...findings], target: null };
  const { sentence } = tightest.target;
  return {
    findings: findings.map((x) => ({
      ...x,
      parts: x.parts.map((p) =>
        p === tightest ? { ...p, message: `${p.message} ${sentence}` } : p,
      ),
    })),
    target: sentence,
  };
}

/** Load rules a run on the return ladder is not read against (science.md "The return ladder"). */
export const READ_AGAINST_THE_STEP = new Set(['session-spike', 'weekly-ramp', 'returning']);

/** The return ladder as a plan, for the knee on it (the lower step, when both are). */
export function planOf(
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
export const KEPT_AT: Partial<Record<AdviceLevel, readonly SuggestionCode[]>> = {
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
 * One suggestion per code, each sentence said once across all of them, at most
 * {@link MAX_SENTENCES} each: of the sentences the rules give for a code, a clinician sentence
 * first, then the target, then each rule's opening sentence, then the rest (kept in the order
 * said); the reasons of every rule are merged, so the numbers behind a dropped sentence stay.
 */
export function collect(findings: readonly Finding[], target: string | null): Suggestion[] {
  const said = new Set<string>();
  const groups = new Map<
    SuggestionCode,
    { said: { s: string; rank: number; at: number }[]; because: Suggestion['because'] }
  >();
  let at = 0;
  for (const f of findings) {
    for (const part of f.parts) {
      let g = groups.get(part.code);
      if (!g) {
        g = { said: [], because: [] };
        groups.set(part.code, g);
      }
      sentences(part.message).forEach((s, i) => {
        if (said.has(s)) return;
        said.add(s);
        const rank = /\bclinician\b/.test(s) ? 0 : s === target ? 1 : i === 0 ? 2 : 3;
        g.said.push({ s, rank, at: at++ });
      });
      for (const b of part.because)
        if (!g.because.some((x) => x.signal === b.signal && x.value === b.value)) g.because.push(b);
    }
  }
  const out: Suggestion[] = [];
  for (const [code, g] of groups) {
    const kept = [...g.said]
      .sort((a, b) => a.rank - b.rank || a.at - b.at)
      .slice(0, MAX_SENTENCES)
      .sort((a, b) => a.at - b.at);
    if (kept.length > 0)
      out.push({ code, message: kept.map((x) => x.s).join(' '), because: g.because });
  }
  return out;
}

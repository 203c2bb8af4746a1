import type { KneeCheck } from '../model.ts';
import type { Facts, KneeSideAbout } from './types.ts';

/** Is this check about `side`? A check with no side (or both) is about both knees. */
export const aboutKnee = (c: KneeCheck, side: KneeSideAbout): boolean =>
  c.knee == null || c.knee === 'both' || c.knee === side;

/**
 * The knees to evaluate (science.md "Each knee has its own state"): none named in any check →
 * one knee as said (`[null]`, no side in the words); else left and right, each with the checks
 * about it, so a check of one knee never lowers the other's stop or red flag.
 */
export function kneesOf(f: Facts): (KneeSideAbout | null)[] {
  return f.checks.some((c) => c.knee === 'left' || c.knee === 'right' || c.knee === 'both')
    ? ['right', 'left']
    : [null];
}

/** The facts of one knee: the same runs and load, only the checks about that knee. */
export function forKnee(f: Facts, side: KneeSideAbout | null): Facts {
  if (side === null) return f;
  const about = (c: KneeCheck) => aboutKnee(c, side);
  const relevant = f.relevant.filter(about);
  return {
    ...f,
    knee: side,
    checks: f.checks.filter(about),
    standing: f.standing.filter(about),
    relevant,
    painCheck: relevant.at(-1) ?? null,
  };
}

/** "Right knee", "Left knee", "Both knees". */
export const kneeLabel = (side: KneeSideAbout | 'both'): string =>
  side === 'both' ? 'Both knees' : `${side[0]?.toUpperCase()}${side.slice(1)} knee`;

/**
 * A headline about a knee: "Right knee: stop running …" (the first letter lowered, an inner
 * "A: b" made "a — b" so the line keeps one colon).
 */
export function labelled(label: string, headline: string): string {
  if (!label || !headline) return headline;
  const body = headline.replace(/^([^:]+): /, '$1 — ');
  return `${label}: ${body[0]?.toLowerCase()}${body.slice(1)}`;
}

import { kneeWords } from '../../format.ts';
import { GENERAL_GUIDANCE, placeGuidance } from '../guidance.ts';
import type { AdviceRule, Part } from '../types.ts';
import { reason } from '../words.ts';
import { painState } from './pain-state.ts';

const CODES = ['strengthen', 'stretch', 'avoid-movements'] as const;

/**
 * Where it hurts (GUIDE-2026): the usual runner explanation for each location and what to
 * strengthen, stretch and avoid while it hurts. Comes with the level of the other rules.
 */
export default {
  id: 'location',
  signal: 'pain location in the latest check',
  levels: ['tip'],
  codes: CODES,
  scope: 'knee',
  sources: ['GUIDE-2026'],
  evaluate: (f, t) => {
    // The check the pain rules read; a later pain-free check about the same run keeps the
    // places of the painful one (science.md `location`).
    const s = painState(f, t);
    const c =
      s.kind === 'settled' || s.kind === 'after-stop'
        ? s.earlier
        : s.kind === 'none' || s.kind === 'ladder'
          ? null
          : s.check;
    if (!c || c.pain === 0) return null;
    const because = [
      reason(
        'knee-check.where',
        // The side too, when the check said it (issue 11: the advice names the side).
        `${c.where.length > 0 ? c.where.join(', ') : 'not given'}${c.knee == null ? '' : ` (${kneeWords(c.knee)})`}`,
        'reported',
        'GUIDE-2026',
      ),
    ];
    const said = c.where.length > 0 ? placeGuidance(c.where) : GENERAL_GUIDANCE;
    const parts: Part[] = CODES.map((code) => ({ code, message: said[code] ?? '', because }));
    return { level: 'tip', headline: '', parts };
  },
} satisfies AdviceRule;

import type { AdviceRule } from '../types.ts';
import { standingFlags } from './flags.ts';

/** Swelling or giving way (GUIDE-2026; RED-FLAGS: within days, no running until seen). */
export default {
  id: 'red-flag-swelling-giving-way',
  signal: 'knee check: swelling, giving way',
  levels: ['see-doctor'],
  codes: ['see-doctor'],
  scope: 'knee',
  sources: ['GUIDE-2026', 'RED-FLAGS'],
  evaluate: (f) =>
    standingFlags(f, ['swelling', 'givingWay'], 'GUIDE-2026', {
      headline: 'See a clinician before you run again: you reported {what}.',
      urgency: 'See a clinician within the next few days, and do not run until you have been seen.',
    }),
} satisfies AdviceRule;

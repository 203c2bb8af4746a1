import type { AdviceRule } from '../types.ts';
import { standingFlags } from './flags.ts';

/** Same-day red flags (RED-FLAGS: NHS pathways, Bunt et al. 2018): infection, no weight, locked. */
export default {
  id: 'red-flag-urgent',
  signal: 'knee check: hot/red with fever, cannot bear weight, locked',
  levels: ['see-doctor'],
  codes: ['see-doctor'],
  scope: 'knee',
  sources: ['RED-FLAGS'],
  evaluate: (f) =>
    standingFlags(f, ['hotRedFever', 'cannotBearWeight', 'locking'], 'RED-FLAGS', {
      headline: 'See a clinician today: you reported {what}.',
      urgency: 'See a clinician today, not next week, and do not run until you have been seen.',
    }),
} satisfies AdviceRule;

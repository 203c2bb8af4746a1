import { lateDrop } from '../../load/stride.ts';
import type { AdviceRule } from '../types.ts';
import { day, reason } from '../words.ts';
import { strideLevel } from './stride-level.ts';

/** Speeds of the first and last fifth within this percentage count as "similar" (kneecheck). */
const SIMILAR_SPEED_PCT = 5;

/**
 * Late-run step-rate drop: last fifth ≥ 4 % below the first at a similar speed (kneecheck's own
 * cut-off; HEIDERSCHEIT-2011 for why longer strides load the knee). Running samples only.
 */
export default {
  id: 'late-drop',
  signal: 'step rate, last fifth vs first fifth of a run at similar speed',
  levels: ['caution', 'tip'],
  codes: ['shorten-stride'],
  scope: 'load',
  sources: ['HEIDERSCHEIT-2011', 'kneecheck'],
  evaluate: (f, t) => {
    const run = f.recentRun;
    const d = run ? lateDrop(f.forms.get(run.id) ?? null) : null;
    if (
      !run ||
      !d ||
      d.changePct > -t.lateDropPct ||
      Math.abs(d.speedChangePct) > SIMILAR_SPEED_PCT
    )
      return null;
    const when = day(run.startTime, f.input.zone, f.now);
    return {
      level: strideLevel(f),
      headline: 'Careful: your strides got longer late in your run.',
      parts: [
        {
          code: 'shorten-stride',
          message: `In the last fifth of your run (${when}) your step rate fell ${Math.abs(Math.round(d.changePct))} %, from ${Math.round(d.firstFifthSpm)} to ${Math.round(d.lastFifthSpm)} steps/min, at about the same speed: tired legs take longer, heavier strides. When you tire, keep your steps at least as quick as at the start (${Math.round(d.firstFifthSpm)} steps/min) and short.`,
          because: [
            reason(
              'late-run-step-rate-change-pct',
              Math.round(d.changePct),
              -t.lateDropPct,
              'kneecheck',
            ),
          ],
        },
      ],
    };
  },
} satisfies AdviceRule;

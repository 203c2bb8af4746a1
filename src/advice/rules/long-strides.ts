import { formatPace } from '../../format.ts';
import {
  cadencePoints,
  cadenceVsLine,
  fitCadenceLine,
  stepLengthVsLine,
} from '../../load/stride.ts';
import { ms } from '../facts.ts';
import type { AdviceRule } from '../types.ts';
import { onDay, reason, round } from '../words.ts';
import { strideLevel, targets } from './stride-level.ts';

const DAY_MS = 86_400_000;

/**
 * Long, heavy strides: the recent run's step rate at matched speed ≥ 3 % below the runner's own
 * line (CADENCE-SPEED; population line until 5 runs in 60 days), or step length ≥ 3 % longer
 * (both cut-offs kneecheck's own). Running samples only. Suggest +5 %, at most +10 % step rate at
 * the same pace (HEIDERSCHEIT-2011; LENHART-2014: −14 % kneecap force at +10 %; WILLSON-2014).
 */
export default {
  id: 'long-strides',
  signal: 'step rate at matched speed vs the runner’s own line',
  levels: ['caution', 'tip'],
  codes: ['shorten-stride'],
  scope: 'load',
  sources: ['CADENCE-SPEED', 'HEIDERSCHEIT-2011', 'LENHART-2014', 'WILLSON-2014', 'kneecheck'],
  evaluate: (f, t) => {
    const run = f.recentRun;
    if (!run) return null;
    const forms = f.forms;
    const from = ms(run.startTime) - 60 * DAY_MS;
    const baseline = f.runs.filter(
      (r) => r.id !== run.id && ms(r.startTime) >= from && ms(r.startTime) < ms(run.startTime),
    );
    const line = fitCadenceLine(baseline.map((r) => cadencePoints(r, forms.get(r.id) ?? null)));
    const matched = cadenceVsLine(cadencePoints(run, forms.get(run.id) ?? null), line);
    if (!matched) return null;
    const sl = stepLengthVsLine(run, forms.get(run.id) ?? null, line, matched);
    const low = matched.deltaPct <= -t.cadenceDropPct;
    const long = sl !== null && sl.actualM <= 2.5 && sl.deltaPct >= t.stepLengthRisePct;
    if (!low && !long) return null;
    const { target, max } = targets(
      matched.actualSpm,
      t.stepRateIncreasePct,
      t.stepRateIncreaseMaxPct,
    );
    if (target <= Math.round(matched.actualSpm)) return null;
    const own = line.basis === 'runner';
    const because = [
      ...(low
        ? [
            reason(
              `step-rate-vs-${own ? 'own' : 'population'}-line-pct`,
              Math.round(matched.deltaPct),
              -t.cadenceDropPct,
              'kneecheck',
            ),
          ]
        : []),
      ...(long && sl
        ? [
            reason(
              'step-length-vs-line-pct',
              Math.round(sl.deltaPct),
              t.stepLengthRisePct,
              'kneecheck',
            ),
          ]
        : []),
    ];
    const on = onDay(run.startTime, f.input.zone, f.now);
    const compared = low
      ? `your step rate was ${Math.round(matched.actualSpm)} steps/min, ${Math.abs(Math.round(matched.deltaPct))} % below the ${Math.round(matched.expectedSpm)} that ${own ? 'your own runs' : 'runners'} usually take at that speed`
      : `your steps were ${Math.round(sl?.deltaPct ?? 0)} % longer (${round(sl?.actualM ?? 0, 2).toFixed(2)} m) than ${own ? 'your own runs' : 'runners'} usually take at that speed`;
    return {
      level: strideLevel(f),
      headline: 'Careful: shorten your stride.',
      parts: [
        {
          code: 'shorten-stride',
          message:
            `${on[0]?.toUpperCase()}${on.slice(1)}, at ${formatPace(matched.speedMps, f.input.units)}, ${compared}. ` +
            `Long, heavy strides load the knee more; slightly quicker, shorter steps at the same pace load it less. Aim for about ${target} steps/min (+${t.stepRateIncreasePct} %), never more than ${max} (+${t.stepRateIncreaseMaxPct} %).`,
          because,
        },
      ],
    };
  },
} satisfies AdviceRule;

import { distanceOf } from '../../load/types.ts';
import { ms } from '../facts.ts';
import type { AdviceRule } from '../types.ts';
import { onDay, pct, reason, round, roundDistance } from '../words.ts';
import { acwrContext } from './acwr.ts';

const DAY_MS = 86_400_000;

/** RUNSAFE-2025 hazard rate ratios by how much longer than the 30-day longest a run was. */
const hazardFor = (ratio: number) => (ratio > 2 ? 2.28 : ratio > 1.3 ? 1.52 : 1.64);

/**
 * A single run much longer than the longest of the 30 days before it (RUNSAFE-2025, Frandsen et
 * al. 2025, 5,205 runners): > 1.10 caution, > 1.30 ease-off; the next run ≤ 1.10 × that longest.
 * Of two runs on one day, the longer jump counts.
 */
export default {
  id: 'session-spike',
  signal: 'run distance / longest run of the previous 30 days',
  levels: ['caution', 'ease-off'],
  codes: ['ease-off'],
  scope: 'load',
  sources: ['RUNSAFE-2025'],
  evaluate: (f, t) => {
    const s = f.spike;
    if (!s || s.ratio === null || s.longestPrevious30DaysM === null) return null;
    if (s.ratio <= t.spikeCaution) return null;
    // Fewer than 4 runs in the 30 days before: no base to compare with (the returning rule speaks).
    const startMs = ms(s.run.startTime);
    const before = f.runs.filter(
      (r) => ms(r.startTime) < startMs && ms(r.startTime) >= startMs - 30 * DAY_MS,
    ).length;
    if (before < t.newRunnerRuns) return null;
    const easeOff = s.ratio > t.spikeEaseOff;
    const u = f.input.units;
    const on = onDay(s.run.startTime, f.input.zone, f.now);
    // The next run: 1.10 × the longest of the last 30 days, the latest run included, unless it
    // came with knee pain (then the longest before it).
    const latest = f.recentRun;
    const hurt = latest !== null && f.checks.some((c) => c.runId === latest.id && c.pain > 0);
    const window = f.runs.filter(
      (r) =>
        ms(r.startTime) >= f.nowMs - 30 * DAY_MS &&
        !(hurt && latest !== null && r.id === latest.id),
    );
    const longestM = Math.max(s.longestPrevious30DaysM, ...window.map(distanceOf));
    const limitM = longestM * t.spikeCaution;
    const limit = roundDistance(limitM, u, 'down');
    return {
      level: easeOff ? 'ease-off' : 'caution',
      headline: easeOff
        ? `Ease off: your run ${on} was ${pct(s.ratio)} % longer than your longest of the 30 days before.`
        : `Careful: your run ${on} was ${pct(s.ratio)} % longer than your longest of the 30 days before.`,
      parts: [
        {
          code: 'ease-off',
          message:
            `Your run ${on} was ${roundDistance(s.distanceM, u)}, ${pct(s.ratio)} % longer than your longest in the 30 days before it (${roundDistance(s.longestPrevious30DaysM, u)}). ` +
            `In a study of 5,205 runners, runs ${s.ratio > 2 ? 'more than twice' : s.ratio > 1.3 ? 'more than 30 % longer than' : 'more than 10 % longer than'} that came with ${hazardFor(s.ratio)} times the injury rate.`,
          target: { m: limitM, sentence: `Keep your next run to ${limit} or less.` },
          because: [
            reason(
              'run-vs-longest-30-days',
              round(s.ratio),
              easeOff ? t.spikeEaseOff : t.spikeCaution,
              'RUNSAFE-2025',
            ),
            ...acwrContext(f, t),
          ],
        },
      ],
    };
  },
} satisfies AdviceRule;

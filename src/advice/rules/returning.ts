import { distanceOf } from '../../load/types.ts';
import { ms } from '../facts.ts';
import type { AdviceRule, Finding } from '../types.ts';
import { day, reason, roundDistance } from '../words.ts';

const DAY_MS = 86_400_000;

/**
 * Comebacks and first runs (science.md rule `returning`; GUIDE-2026 "lower weekly volume"; the
 * limits are kneecheck's own). After 30+ days without a run, the first run back gets a limit of
 * about half the longest run of the 30 days before the break (ease-off when it went past it); a
 * new runner's first runs get 20–30 minutes of easy running or walk-run as a tip.
 */
export default {
  id: 'returning',
  signal: 'no run in the 30 days before the latest run; or fewer than 4 runs',
  levels: ['caution', 'ease-off', 'tip'],
  codes: ['return-gradually', 'ease-off'],
  scope: 'load',
  sources: ['GUIDE-2026', 'kneecheck'],
  evaluate: (f, t): Finding | null => {
    const u = f.input.units;
    const runs = f.runs;
    const latest = runs.at(-1);
    const gapMs = t.comebackGapDays * DAY_MS;
    // The run before the break, and the longest of the 30 days up to it.
    const breakFrom = (i: number) => {
      const last = runs[i];
      if (!last) return null;
      const from = ms(last.startTime) - 30 * DAY_MS;
      const longest = Math.max(
        ...runs
          .slice(0, i + 1)
          .filter((r) => ms(r.startTime) >= from)
          .map(distanceOf),
      );
      return longest > 0 ? { last, longest } : null;
    };
    const newRunner = runs.length < t.newRunnerRuns;

    // A comeback run: the recent run had no run in the 30 days before it.
    const recent = f.recentRun;
    const previous = runs.at(-2);
    if (recent && previous && ms(recent.startTime) - ms(previous.startTime) > gapMs) {
      const before = breakFrom(runs.length - 2);
      if (before) {
        const limitM = before.longest * t.comebackShare;
        const weeks = Math.round((ms(recent.startTime) - ms(before.last.startTime)) / (7 * DAY_MS));
        const limit = roundDistance(limitM, u, 'down');
        const past = distanceOf(recent) > limitM;
        const because = [
          reason(
            'days-since-previous-run',
            Math.floor((ms(recent.startTime) - ms(before.last.startTime)) / DAY_MS),
            `more than ${t.comebackGapDays}`,
            'kneecheck',
          ),
          ...(past
            ? [
                u === 'imperial'
                  ? reason(
                      'comeback-limit-mi',
                      Math.round(limitM / 160.9344) / 10,
                      null,
                      'kneecheck',
                    )
                  : reason('comeback-limit-km', Math.round(limitM / 100) / 10, null, 'kneecheck'),
              ]
            : []),
        ];
        const message =
          `Your run ${day(recent.startTime, f.input.zone, f.now)} (${roundDistance(distanceOf(recent), u)}) was your first in about ${weeks} weeks. ` +
          `After a break, come back gradually, with a rest day between runs; then lengthen one run at a time, never more than 10 % beyond your longest of the last 30 days.`;
        const target = {
          m: limitM,
          sentence: `Keep your next runs to about ${limit} (half your longest run before the break, ${roundDistance(before.longest, u)}).`,
        };
        return {
          level: past ? 'ease-off' : 'caution',
          headline: past
            ? `Ease off: after ${weeks} weeks off, that run went past the comeback limit.`
            : 'Welcome back: build up again gradually, one run at a time.',
          parts: [
            { code: 'return-gradually', message, because, target },
            ...(past
              ? [
                  {
                    code: 'ease-off' as const,
                    message: 'That run went past the comeback limit: make the next ones shorter.',
                    because,
                  },
                ]
              : []),
          ],
        };
      }
    }

    // Not running for a while: a word on how to start again (level unchanged).
    if (latest && f.nowMs - ms(latest.startTime) > gapMs) {
      const before = breakFrom(runs.length - 1);
      const weeks = Math.round((f.nowMs - ms(latest.startTime)) / (7 * DAY_MS));
      const limit = before ? roundDistance(before.longest * t.comebackShare, u, 'down') : null;
      return {
        level: 'tip',
        headline: `No run in ${weeks} weeks: start again gently.`,
        parts: [
          {
            code: 'return-gradually',
            message: limit
              ? `Your last run was ${weeks} weeks ago. When you start again, keep your first runs to about ${limit} (half your longest before the break), with a rest day between them.`
              : `Your last run was ${weeks} weeks ago. When you start again, begin with 20–30 minutes of easy running or walk-run, with a rest day between runs.`,
            because: [
              reason(
                'days-since-previous-run',
                Math.floor((f.nowMs - ms(latest.startTime)) / DAY_MS),
                `more than ${t.comebackGapDays}`,
                'kneecheck',
              ),
            ],
          },
        ],
      };
    }

    if (newRunner) {
      return {
        level: 'tip',
        headline:
          runs.length === 0 ? 'No runs yet: start gently.' : 'Your first runs: start gently.',
        parts: [
          {
            code: 'return-gradually',
            message:
              `${runs.length === 0 ? 'No runs are recorded yet.' : `You have ${runs.length} run${runs.length === 1 ? '' : 's'} so far.`} ` +
              'For your first runs, 20–30 minutes of easy running is plenty, or walk-run (1 minute running, 1–2 minutes walking); leave a rest day between runs and build up one run at a time.',
            because: [
              reason('runs-so-far', runs.length, `fewer than ${t.newRunnerRuns}`, 'kneecheck'),
            ],
          },
        ],
      };
    }
    return null;
  },
} satisfies AdviceRule;

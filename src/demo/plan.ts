import { DateTime } from 'luxon';
import type { KneeLocation } from '../model.ts';
import type { SynthRun } from './synth-fit.ts';

/** One generated run of the demo history. */
export interface DemoRun {
  /** File name under `<dir>/fit/`. */
  file: string;
  /** Planned distance, km (the file holds about this much; speed varies a little). */
  km: number;
  fit: SynthRun;
}

/** One knee check of the demo history, about `runs[runIndex]`. */
export interface DemoCheck {
  runIndex: number;
  /** ISO instant, before "now". */
  checkedAt: string;
  pain: number;
  where: KneeLocation[];
  note: string;
}

export interface DemoPlan {
  runs: DemoRun[];
  checks: DemoCheck[];
}

/** Weeks of gradual build-up before the jump. */
const BUILD_WEEKS = 10;
/** Weekly distance of the first week, km, and its growth per week (a careful ~7 %). */
const FIRST_WEEK_KM = 9.5;
const WEEKLY_GROWTH = 1.07;
/** The jump week: +40 % distance, with a long run 50 % longer than any before it. */
const JUMP = 1.4;
const LONG_RUN_JUMP = 1.5;

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * A realistic beginner history ending two days before `now` (so the checks of the next morning
 * are in the past too): ten weeks of three runs a week building from about 3 km, then a week that
 * jumps about 40 % with one long run 50 % longer than anything before, the step rate easing down
 * over the last weeks (longer strides), and four knee checks, the last ones with mild front-of-knee
 * pain after the long run. Runs repeat on the same three weekdays, so every calendar week holds
 * three. Pure: the same `now` and zone give the same plan.
 */
export function demoPlan(now: Date, zone: string): DemoPlan {
  const longDay = DateTime.fromJSDate(now).setZone(zone).startOf('day').minus({ days: 2 });
  const weeksKm: number[][] = [];
  for (let k = 0; k < BUILD_WEEKS; k++) {
    const week = FIRST_WEEK_KM * WEEKLY_GROWTH ** k;
    weeksKm.push([round1(week * 0.3), round1(week * 0.3), round1(week * 0.4)]);
  }
  const lastWeek = (weeksKm.at(-1) ?? []).reduce((a, b) => a + b, 0);
  const longest = Math.max(...weeksKm.flat());
  const longKm = round1(longest * LONG_RUN_JUMP);
  const otherKm = round1((lastWeek * JUMP - longKm) / 2);
  weeksKm.push([otherKm, otherKm, longKm]);

  const runs: DemoRun[] = [];
  weeksKm.forEach((kms, k) => {
    const weeksAgo = BUILD_WEEKS - k;
    // Step rate (steps/min, both feet): steady, then easing down in the last three weeks.
    const baseSpm = [164, 164, 164, 164, 164, 164, 164, 164, 162, 160, 158][k] ?? 164;
    kms.forEach((km, i) => {
      const isLong = i === 2;
      const day = longDay.minus({ days: weeksAgo * 7 + (2 - i) * 2 });
      const start = day.set(isLong ? { hour: 9, minute: 30 } : { hour: 18, minute: 15 });
      const speed = isLong ? 2.4 : 2.5 + 0.05 * ((k + i) % 3) - 0.05;
      const durationS = Math.round((km * 1000) / speed);
      const spm = baseSpm + (speed - 2.5) * 20;
      // The long run of the jump week tires the runner: the step rate sags in its last part.
      const sag = k === BUILD_WEEKS && isLong ? 8 : 2;
      runs.push({
        file: `${start.toFormat('yyyy-MM-dd-HHmm')}.fit`,
        km,
        fit: {
          start: start.toJSDate(),
          localOffsetMin: start.offset,
          sessions: [
            {
              durationS,
              speedMps: (t) => speed + 0.08 * Math.sin(t / 97),
              stepRateSpm: (t) => spm + 1.5 * Math.sin(t / 53) - sag * (t / durationS) ** 2,
            },
          ],
        },
      });
    });
  });

  const endOf = (index: number, afterMin: number): string => {
    const r = runs[index];
    if (!r) throw new Error(`demo plan: no run ${index}`);
    const s = r.fit.sessions[0]?.durationS ?? 0;
    return new Date(r.fit.start.getTime() + (s + afterMin * 60) * 1000).toISOString();
  };
  const last = runs.length - 1;
  const checks: DemoCheck[] = [
    { runIndex: 7 * 3 + 1, checkedAt: endOf(7 * 3 + 1, 20), pain: 0, where: [], note: 'felt fine' },
    {
      runIndex: last - 1,
      checkedAt: endOf(last - 1, 30),
      pain: 1,
      where: ['front'],
      note: 'a little stiff going down the stairs',
    },
    {
      runIndex: last,
      checkedAt: endOf(last, 45),
      pain: 2,
      where: ['front'],
      note: 'dull ache around the kneecap after the long run',
    },
    {
      runIndex: last,
      checkedAt: longDay.plus({ days: 1 }).set({ hour: 8 }).toJSDate().toISOString(),
      pain: 1,
      where: ['front'],
      note: 'better this morning, stairs still a bit sore',
    },
  ];
  return { runs, checks };
}

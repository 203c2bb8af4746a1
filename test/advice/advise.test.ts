import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../src/advice/thresholds.ts';
import { buildReport } from '../../src/load/report.ts';
import {
  ZONE,
  adviceFor,
  because,
  codes,
  daysBefore,
  history,
  lastRun,
  weekly,
  type RunSpec,
} from './scenario.ts';

const NOW = '2026-11-25T18:00:00Z';
/** A steady beginner: three 4 km runs a week for six weeks, the last one yesterday. */
const steady = weekly(NOW, 6, 4);
const messageOf = (a: { suggestions: { code: string; message: string }[] }, code: string) =>
  a.suggestions.find((s) => s.code === code)?.message ?? '';

describe('advice on generated histories', () => {
  it('tells a steady beginner to keep going, with the load numbers behind it', () => {
    const a = adviceFor(steady, [], NOW);
    expect(a.level).toBe('ok');
    expect(codes(a)).toEqual(['keep-going']);
    expect(because(a, 'keep-going', 'run-vs-longest-30-days')).toMatchObject({
      signal: 'run-vs-longest-30-days',
      value: 1,
      threshold: 1.1,
      source: 'RUNSAFE-2025',
    });
    expect(because(a, 'keep-going', 'last-7-days-vs-previous-7-days')?.value).toBe(1);
    expect(a.generatedAt).toBe('2026-11-25T18:00:00.000Z');
  });

  it('says ease off after a single run 50 % longer than the longest of the 30 days before', () => {
    const a = adviceFor(lastRun(steady, { km: 6 }), [], NOW);
    expect(a.level).toBe('ease-off');
    expect(codes(a)).toEqual(['ease-off']);
    expect(because(a, 'ease-off', 'run-vs-longest-30-days')).toMatchObject({
      signal: 'run-vs-longest-30-days',
      value: 1.5,
      threshold: 1.3,
      source: 'RUNSAFE-2025',
    });
    // Next run limit (science.md session-spike, changed): 1.10 × the longest of the last 30 days,
    // the latest run included as it did not hurt: 6.6 km, rounded down to 6.5 km.
    expect(messageOf(a, 'ease-off')).toMatch(
      /6 km, 50 % longer .* \(4 km\)\. .*1\.52 times the injury rate\. Keep your next run to 6\.5 km or less\./,
    );
    expect(a.headline).toMatch(/^Ease off: your run yesterday was 50 % longer/);
  });

  it('says be careful after a run 20 % longer than the longest of the 30 days before', () => {
    const a = adviceFor(lastRun(steady, { km: 4.8 }), [], NOW);
    expect(a.level).toBe('caution');
    expect(because(a, 'ease-off', 'run-vs-longest-30-days')).toMatchObject({
      value: 1.2,
      threshold: 1.1,
    });
    expect(messageOf(a, 'ease-off')).toMatch(/1\.64 times the injury rate/);
  });

  it('says ease off when the last 7 days ran 2/3 more than the 7 before, with a concrete limit', () => {
    // Two extra 4 km runs this week: 5 × 4 km against 3 × 4 km, rest days remain.
    const extra: RunSpec[] = [0, 2].map((d) => ({ at: daysBefore(NOW, d), km: 4 }));
    const a = adviceFor(
      [...steady, ...extra].sort((x, y) => x.at.localeCompare(y.at)),
      [],
      NOW,
    );
    expect(a.level).toBe('ease-off');
    expect(because(a, 'ease-off', 'last-7-days-vs-previous-7-days')).toMatchObject({
      signal: 'last-7-days-vs-previous-7-days',
      value: 1.67,
      threshold: 1.3,
      source: 'NIELSEN-2014',
    });
    expect(messageOf(a, 'ease-off')).toMatch(
      /20 km in the last 7 days, 67 % more than your usual week of the 4 weeks before \(12 km\)\. Keep the next 7 days to about 12 km/,
    );
  });

  it('asks for a rest day after seven running days in a row', () => {
    // 7 daily 2 km runs (14 km) after weeks of 3 × 5 km (15 km): no ramp, no spike.
    const daily: RunSpec[] = [6, 5, 4, 3, 2, 1, 0].map((d) => ({ at: daysBefore(NOW, d), km: 2 }));
    const before = weekly(daysBefore(NOW, 7), 4, 5);
    const a = adviceFor([...before, ...daily], [], NOW);
    expect(a.level).toBe('caution');
    expect(codes(a)).toEqual(['add-rest-day']);
    expect(because(a, 'add-rest-day', 'rest-days-last-7')).toMatchObject({
      signal: 'rest-days-last-7',
      value: 0,
      threshold: 0,
      source: 'GUIDE-2026',
    });
  });

  describe('strides', () => {
    // The runner's own line: 150 + 8 × speed steps/min, over runs at varied speeds.
    const line = (v: number) => 150 + 8 * v;
    const baseline = weekly(NOW, 5, 4).map((r, i) => {
      const v = 2.4 + (i % 4) * 0.2;
      return { ...r, speedMps: v, spm: line(v) };
    });
    const longStride = { speedMps: 2.8, spm: Math.round(line(2.8) * 0.94) };

    it('gives a shorten-stride tip, without raising the level, when strides lengthen without pain', () => {
      const a = adviceFor(lastRun(baseline, longStride), [], NOW);
      expect(a.level).toBe('ok');
      expect(codes(a)).toEqual(['shorten-stride', 'keep-going']);
      const b = because(a, 'shorten-stride', 'step-rate-vs-own-line-pct');
      expect(b?.threshold).toBe(-3);
      expect(b?.value).toBe(-6);
      expect(b?.source).toBe('kneecheck');
      // +5 % of the run's 162 steps/min (172.4 × 0.94, rounded), at most +10 %.
      expect(messageOf(a, 'shorten-stride')).toMatch(
        /Aim for about 170 steps\/min .*never more than 178/,
      );
    });

    it('raises long strides to caution when the front of the knee hurts', () => {
      const a = adviceFor(
        lastRun(baseline, longStride),
        [{ at: '2026-11-24T08:30:00Z', pain: 2, where: ['front'] }],
        NOW,
      );
      expect(a.level).toBe('caution');
      expect(codes(a)).toEqual(
        expect.arrayContaining([
          'shorten-stride',
          'ease-off',
          'strengthen',
          'stretch',
          'avoid-movements',
        ]),
      );
      expect(messageOf(a, 'avoid-movements')).toMatch(/deep squats/);
    });

    it('keeps a normal stride at matched speed quiet, even at a slower pace', () => {
      const a = adviceFor(
        lastRun(baseline, { speedMps: 2.2, spm: Math.round(line(2.2)) }),
        [],
        NOW,
      );
      expect(codes(a)).not.toContain('shorten-stride');
    });

    it('notices step rate falling in the last fifth of a run at the same speed', () => {
      const drop = {
        km: 5,
        speedMps: 2.8,
        spm: (t: number) => (t < 1400 ? line(2.8) : line(2.8) * 0.93),
      };
      const a = adviceFor(lastRun(baseline, drop), [], NOW);
      const b = because(a, 'shorten-stride', 'late-run-step-rate-change-pct');
      expect(b?.threshold).toBe(-4);
      expect(b?.value).toBe(-7);
    });

    it('compares with the population line for a runner with few runs', () => {
      // 2.8 m/s → 150 + 6 × 2.8 = 166.8 expected; 155 is 7.1 % below.
      const a = adviceFor([{ at: daysBefore(NOW, 1), km: 3, speedMps: 2.8, spm: 155 }], [], NOW);
      expect(because(a, 'shorten-stride', 'step-rate-vs-population-line-pct')?.value).toBe(-7);
    });
  });

  describe('knee checks', () => {
    const hist = lastRun(steady, { at: '2026-11-24T17:00:00Z' });

    it('keeps mild pain that settled by the next morning at caution', () => {
      const a = adviceFor(
        hist,
        [
          { at: '2026-11-24T18:00:00Z', pain: 2, where: ['front'] },
          { at: '2026-11-25T07:00:00Z', pain: 0 },
        ],
        NOW,
      );
      expect(a.level).toBe('caution');
      // The 3/10 line is kneecheck's own, and says so.
      expect(because(a, 'ease-off', 'pain')).toMatchObject({
        signal: 'pain',
        value: 2,
        threshold: '1–3',
        source: 'kneecheck',
      });
      expect(messageOf(a, 'ease-off')).toMatch(/Your check today found it settled \(0\/10\)/);
    });

    it('escalates mild pain still there more than 48 h after the run to ease off', () => {
      const a = adviceFor(
        hist,
        [
          { at: '2026-11-24T18:00:00Z', pain: 2, where: ['outside'] },
          { at: '2026-11-26T19:00:00Z', pain: 2, where: ['outside'] },
        ],
        '2026-11-26T20:00:00Z',
      );
      expect(a.level).toBe('ease-off');
      expect(codes(a)).toEqual(expect.arrayContaining(['ease-off', 'add-rest-day']));
      expect(because(a, 'ease-off', 'hours-after-run')?.value).toBe(50);
      expect(messageOf(a, 'strengthen')).toMatch(/outside of the knee/);
    });

    it('compares pain with checks about the same run, not the run before', () => {
      const a = adviceFor(
        [...hist, { at: '2026-11-25T07:00:00Z', km: 4 }],
        [
          { at: '2026-11-24T18:00:00Z', pain: 1 },
          { at: '2026-11-25T08:00:00Z', pain: 3 },
        ],
        NOW,
      );
      // Checks about different runs: the second is a first mild pain after the new run, not a
      // rise (the level comes from the extra run: 16 km against 12 km in the 7 days before).
      expect(because(a, 'ease-off', 'pain-rise-same-run')).toBeUndefined();
      expect(because(a, 'ease-off', 'pain')).toMatchObject({ value: 3, threshold: '1–3' });
      expect(because(a, 'ease-off', 'last-7-days-vs-previous-7-days')?.value).toBe(1.33);
    });

    it('says stop for sharp pain, whatever the load', () => {
      const a = adviceFor(
        hist,
        [{ at: '2026-11-24T18:00:00Z', pain: 3, where: ['inside'], flags: { sharp: true } }],
        NOW,
      );
      expect(a.level).toBe('stop');
      // science.md sharp-or-gait (changed): rest-until-pain-free and avoid-movements; the way
      // back is the return ladder's (rule return-ladder), once walking, squatting and stairs are
      // pain-free two days in a row.
      expect(codes(a)).toEqual(['rest-until-pain-free', 'avoid-movements', 'stretch']);
      expect(a.headline).toMatch(/walking, squatting and stairs/);
    });

    it('says stop for pain above 5/10', () => {
      const a = adviceFor(hist, [{ at: '2026-11-24T18:00:00Z', pain: 6, where: ['front'] }], NOW);
      expect(a.level).toBe('stop');
      expect(because(a, 'rest-until-pain-free', 'pain')).toMatchObject({
        signal: 'pain',
        value: 6,
        threshold: 'more than 5',
        source: 'PAIN-MONITORING',
      });
    });

    it('lets red flags override everything else', () => {
      const a = adviceFor(
        lastRun(steady, { km: 7 }),
        [{ at: '2026-11-25T09:00:00Z', pain: 2, where: ['front'], flags: { swelling: true } }],
        NOW,
      );
      expect(a.level).toBe('see-doctor');
      expect(codes(a)).toEqual(['see-doctor', 'avoid-movements']);
      expect(because(a, 'see-doctor', 'knee-check.swelling')).toMatchObject({
        signal: 'knee-check.swelling',
        value: true,
        threshold: 'reported',
        source: 'GUIDE-2026',
      });
    });

    it('sends a locked knee to a clinician today', () => {
      const a = adviceFor(
        hist,
        [{ at: '2026-11-24T18:00:00Z', pain: 4, where: ['back'], flags: { locking: true } }],
        NOW,
      );
      expect(a.level).toBe('see-doctor');
      expect(a.headline).toMatch(/today/);
    });

    it('sends pain lasting more than 7 days to a clinician', () => {
      const a = adviceFor(
        hist,
        [
          { at: '2026-11-16T18:00:00Z', pain: 2 },
          { at: '2026-11-20T18:00:00Z', pain: 2 },
          { at: '2026-11-24T18:00:00Z', pain: 1 },
        ],
        NOW,
      );
      expect(a.level).toBe('see-doctor');
      // Mon 16 to Tue 24 Nov: 9 calendar days with pain in every check (science.md counts days,
      // both ends included, not 24 h spans).
      expect(because(a, 'see-doctor', 'pain-days')).toMatchObject({
        signal: 'pain-days',
        value: 9,
        threshold: 'more than 7',
        source: 'GUIDE-2026',
      });
    });

    it('sends pain that rises without a run in between to a clinician', () => {
      const a = adviceFor(
        hist,
        [
          { at: '2026-11-24T18:00:00Z', pain: 1 },
          { at: '2026-11-27T17:00:00Z', pain: 3 },
        ],
        '2026-11-27T18:00:00Z',
      );
      expect(a.level).toBe('see-doctor');
      expect(because(a, 'see-doctor', 'pain-rise-without-run')?.value).toBe(2);
    });

    it('forgets pain reported weeks ago', () => {
      const a = adviceFor(steady, [{ at: '2026-10-20T18:00:00Z', pain: 3 }], NOW);
      expect(a.level).toBe('ok');
    });
  });

  it('uses overridden thresholds and names the value used', () => {
    const a = adviceFor(lastRun(steady, { km: 6 }), [], NOW, {
      ...DEFAULT_THRESHOLDS,
      spikeEaseOff: 1.6,
    });
    expect(a.level).toBe('caution');
    expect(because(a, 'ease-off', 'run-vs-longest-30-days')?.threshold).toBe(1.1);
  });

  it('counts runs across the autumn DST change and abroad in the runner own days and weeks', () => {
    // Three runs a week around Berlin's change to winter time (25 Oct); the last two weeks
    // recorded in New York (UTC-5 in November; UTC-4 before 1 Nov), at 08:00 local.
    const now = '2026-11-11T18:00:00Z';
    const runs = weekly(now, 5, 4).map((r) => {
      const at = new Date(r.at);
      if (at < new Date('2026-10-28T00:00:00Z'))
        return { ...r, offsetMin: at < new Date('2026-10-25T01:00:00Z') ? 120 : 60 };
      const offsetMin = at < new Date('2026-11-01T06:00:00Z') ? -240 : -300;
      return {
        ...r,
        at: new Date(at.getTime() + 6 * 3_600_000 - (offsetMin + 300) * 60_000).toISOString(),
        offsetMin,
      };
    });
    const a = adviceFor(runs, [], now);
    expect(a.level).toBe('ok');
    expect(because(a, 'keep-going', 'last-7-days-vs-previous-7-days')?.value).toBe(1);
    const { runs: stored, forms } = history(runs);
    expect(stored.at(-1)?.timezone).toBe('UTC-5');
    expect(stored[0]?.timezone).toBe(ZONE);
    const report = buildReport({
      runs: stored,
      forms,
      checks: [],
      zone: ZONE,
      now: new Date(now),
      weeks: 4,
    });
    // Wednesday 11 Nov: runs fall on Tuesdays, Fridays and Sundays; this week so far: Tuesday's.
    expect(report.weeks.map((w) => [w.weekStart, w.runs, w.distanceM])).toEqual([
      ['2026-10-19', 3, 12000],
      ['2026-10-26', 3, 12000],
      ['2026-11-02', 3, 12000],
      ['2026-11-09', 1, 4000],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import type { Advice } from '../../src/model.ts';
import { adviceFor, because, codes, weekly, type CheckSpec } from './scenario.ts';

// Issue 23, "What is wrong today" 1–3: each knee has its own state, days not instants, pain at
// rest (science.md rule table: red-flag-duration, red-flag-rest; "Each knee has its own state").

const NOW = '2026-11-25T18:00:00Z';
/** Three 4 km runs a week for six weeks, the last one yesterday 07:00 UTC. */
const steady = weekly(NOW, 6, 4);
const lastStart = steady.at(-1)?.at ?? '';
const hoursAfter = (iso: string, h: number) =>
  new Date(Date.parse(iso) + h * 3_600_000).toISOString();
const text = (a: Advice) => [a.headline, ...a.suggestions.map((s) => s.message)].join(' ');

describe('each knee has its own state', () => {
  it("keeps the right knee's stop when the left knee is checked that evening", () => {
    const a = adviceFor(
      steady,
      [
        {
          at: hoursAfter(lastStart, 2),
          pain: 4,
          where: ['outside'],
          knee: 'right',
          flags: { sharp: true },
        },
        { at: hoursAfter(lastStart, 10), pain: 2, where: ['front'], knee: 'left' },
      ],
      hoursAfter(lastStart, 11),
    );
    expect(a.level).toBe('stop');
    expect(a.headline).toMatch(/^Right knee: stop running/);
    expect(a.headline.length).toBeLessThanOrEqual(120);
    expect(text(a)).not.toMatch(/keep running/i);
  });

  it('lets a pain-free check of one knee leave the other knee’s red flag standing', () => {
    const a = adviceFor(
      steady,
      [
        {
          at: hoursAfter(lastStart, 2),
          pain: 3,
          knee: 'left',
          where: ['inside'],
          flags: { givingWay: true },
        },
        { at: hoursAfter(lastStart, 20), pain: 0, knee: 'right' },
      ],
      hoursAfter(lastStart, 21),
    );
    expect(a.level).toBe('see-doctor');
    expect(a.headline).toMatch(/^Left knee: /);
    expect(text(a)).toMatch(/your left knee giving way/);
    expect(text(a)).not.toMatch(/giving way in your left knee/);
  });

  it('reads a check with no side as about both knees', () => {
    const a = adviceFor(
      steady,
      [
        { at: hoursAfter(lastStart, 2), pain: 2, where: ['front'], flags: { swelling: true } },
        { at: hoursAfter(lastStart, 20), pain: 0, knee: 'right' },
      ],
      hoursAfter(lastStart, 21),
    );
    expect(a.level).toBe('see-doctor');
    expect(a.headline).toMatch(/^Both knees: /);
  });

  it('does not count a week of pain in one knee and checks of the other as one run of days', () => {
    // Left hurts on days 1–4, right on days 5–8: neither knee has hurt for 8 days.
    const days: CheckSpec[] = [0, 1, 2, 3, 4, 5, 6, 7].map((d) => ({
      at: hoursAfter('2026-11-17T17:00:00Z', 24 * d),
      pain: 2,
      where: ['front'],
      knee: d < 4 ? 'left' : 'right',
    }));
    const a = adviceFor(steady, days, '2026-11-24T18:00:00Z');
    expect(a.level).not.toBe('see-doctor');
  });
});

describe('two knees as bad for different reasons', () => {
  it('says both, each named', () => {
    const a = adviceFor(
      steady,
      [
        { at: hoursAfter(lastStart, 2), pain: 7, where: ['front'], knee: 'right' },
        {
          at: hoursAfter(lastStart, 3),
          pain: 1,
          where: ['inside'],
          knee: 'left',
          flags: { changedGait: true },
        },
      ],
      hoursAfter(lastStart, 4),
    );
    expect(a.level).toBe('stop');
    // The same rule for both: "Both knees", and each knee's own report, named.
    expect(a.headline).toMatch(/^Both knees: stop running/);
    expect(text(a)).toMatch(/pain of 7\/10/);
    expect(text(a)).toMatch(/Left knee: you reported pain that changed how you ran/);
  });
});

describe('"more than a week" counts calendar days', () => {
  const daily = (n: number, minute = 0): CheckSpec[] =>
    Array.from({ length: n }, (_, d) => ({
      at: hoursAfter(`2026-11-17T17:${String(minute).padStart(2, '0')}:00Z`, 24 * d),
      pain: 2,
      where: ['front'],
    }));

  it('sends eight daily checks at the same hour to a clinician on the eighth day', () => {
    const a = adviceFor(steady, daily(8), '2026-11-24T18:00:00Z');
    expect(a.level).toBe('see-doctor');
    expect(because(a, 'see-doctor', 'pain-days')?.value).toBe(8);
    expect(a.headline).toMatch(/8 days/);
  });

  it('says which day of pain it is on days 2–7, and when it becomes a reason to be seen', () => {
    const a = adviceFor(steady, daily(6), '2026-11-22T18:00:00Z');
    expect(a.level).not.toBe('see-doctor');
    expect(text(a)).toMatch(/day 6 of pain in a row/);
    // Tue 17 Nov is day 1: day 8 is Tue 24 Nov.
    expect(text(a)).toMatch(/if it still hurts on Tue 24 Nov, see a clinician/);
    expect(text(a)).not.toMatch(/gone within 24–48 h is common/);
  });
});

describe('pain at rest', () => {
  it('sends pain 10 days after the last run to a clinician within days', () => {
    const a = adviceFor(
      steady,
      [{ at: hoursAfter(lastStart, 24 * 10), pain: 3, where: ['front'], run: null }],
      hoursAfter(lastStart, 24 * 10 + 1),
    );
    expect(a.level).toBe('see-doctor');
    expect(codes(a)[0]).toBe('see-doctor');
    expect(a.headline).toMatch(/few days/);
    expect(text(a)).not.toMatch(/Take a rest day before your next run/);
  });

  it('keeps pain 6 days after the last run at "not settling", not a red flag', () => {
    const a = adviceFor(
      steady,
      [{ at: hoursAfter(lastStart, 24 * 6), pain: 2, where: ['front'], run: null }],
      hoursAfter(lastStart, 24 * 6 + 1),
    );
    expect(a.level).toBe('ease-off');
  });
});

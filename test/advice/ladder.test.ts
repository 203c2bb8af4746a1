import { describe, expect, it } from 'vitest';
import type { Advice } from '../../src/model.ts';
import { choicesOf, nextStep, seriesCheck } from '../../src/notify/reply-steps.ts';
import { adviceCard } from '../../src/web/pages/layout.ts';
import { advise } from '../../src/advice/advise.ts';
import { labelled } from '../../src/advice/knees.ts';
import { ladderToday } from '../../src/advice/rules/return-ladder.ts';
import {
  ZONE,
  adviceFor,
  checks,
  codes,
  history,
  weekly,
  type CheckSpec,
  type RunSpec,
} from './scenario.ts';

// Issue 23, "What is wrong today" 4, and science.md "The return ladder": after a stop, the
// guide's own test (walk, squat, stairs without pain, two days in a row) starts the ladder; each
// session's after-run and next-morning answers move it.

const NOW = '2026-11-25T18:00:00Z';
/** Six weeks of three 4 km runs; the last one Tue 24 Nov 07:00 UTC ended in a 6/10 stop. */
const steady = weekly(NOW, 6, 4);
const lastStart = steady.at(-1)?.at ?? '';
const h = (hours: number) => new Date(Date.parse(lastStart) + hours * 3_600_000).toISOString();
const ok = { walkOk: true, squatOk: true, stairsOk: true };
const text = (a: Advice) => [a.headline, ...a.suggestions.map((s) => s.message)].join(' ');
const stop: CheckSpec = { at: h(2), pain: 6, where: ['front'] };
/** The return test passed on the mornings 2 and 3 days after the stop (Thu 26 and Fri 27 Nov). */
const tested: CheckSpec[] = [
  { at: h(48), pain: 0, run: null, ...ok },
  { at: h(72), pain: 0, run: null, ...ok },
];
/** A ladder session of `min` minutes, `days` after the stop's run, at 2.5 m/s. */
const session = (days: number, min = 20): RunSpec => ({
  at: h(24 * days + 2),
  km: (min * 60 * 2.5) / 1000,
  speedMps: 2.5,
});

/** The advice a day after the stop, with a clearance carrying `note` at `at`. */
function adviceForNote(at: string, note: string): Advice {
  const { runs, forms } = history(steady);
  return advise({
    runs,
    forms,
    checks: checks([stop], runs),
    clearances: [{ id: 1, clearedAt: at, note }],
    now: new Date(h(30)),
    zone: ZONE,
    units: 'metric',
  });
}

describe('the return ladder', () => {
  it('keeps 6 → 3 → 1/10 after a stop at stop until the return test holds, not "shorter and slower"', () => {
    const a = adviceFor(
      steady,
      [stop, { at: h(26), pain: 3, where: ['front'] }, { at: h(50), pain: 1, where: ['front'] }],
      h(51),
    );
    expect(a.level).toBe('stop');
    expect(text(a)).toMatch(/walking, squatting and stairs are pain-free two days in a row/);
    expect(text(a)).not.toMatch(/make the next ones shorter and slower/);
    expect(a.plan).toBeUndefined();
  });

  it('starts at step 1 after two days in a row, not after two days apart', () => {
    const apart = adviceFor(
      steady,
      [stop, { ...tested[0], at: h(48) } as CheckSpec, { ...tested[1], at: h(96) } as CheckSpec],
      h(97),
    );
    expect(apart.level).toBe('stop');
    const a = adviceFor(steady, [stop, ...tested], h(73));
    expect(a.level).toBe('caution');
    expect(a.plan).toMatchObject({ step: 1, knee: null });
    expect(a.plan?.steps).toHaveLength(6);
    expect(a.headline).toMatch(/step 1 of 6 today/);
    expect(a.headline.length).toBeLessThanOrEqual(120);
    expect(codes(a)).toContain('return-gradually');
  });

  it('moves up a step after two good sessions, and reads them against the step, not the spike rule', () => {
    const runs = [...steady, session(4), session(6)];
    const checks: CheckSpec[] = [
      stop,
      ...tested,
      { at: h(24 * 4 + 3), pain: 1, where: ['front'] },
      { at: h(24 * 5), pain: 0, run: null },
      { at: h(24 * 6 + 3), pain: 0 },
      { at: h(24 * 7), pain: 0, run: null },
    ];
    const a = adviceFor(runs, checks, h(24 * 7 + 1));
    expect(a.level).toBe('caution');
    expect(a.plan?.step).toBe(2);
    expect(text(a)).toMatch(/up to step 2/);
    expect(text(a)).not.toMatch(/longer than your longest/);
  });

  it('holds the step at 3–5/10, and steps back at more than 5/10', () => {
    const runs = [...steady, session(4), session(6), session(8)];
    const good: CheckSpec[] = [
      stop,
      ...tested,
      { at: h(24 * 4 + 3), pain: 0 },
      { at: h(24 * 5), pain: 0, run: null },
      { at: h(24 * 6 + 3), pain: 0 },
      { at: h(24 * 7), pain: 0, run: null },
    ];
    const held = adviceFor(
      runs,
      [
        ...good,
        { at: h(24 * 8 + 3), pain: 4, where: ['front'] },
        { at: h(24 * 9), pain: 2, where: ['front'], run: null },
      ],
      h(24 * 9 + 1),
    );
    expect(held.plan?.step).toBe(2);
    expect(text(held)).toMatch(/Stay on step 2/);
    const back = adviceFor(
      runs,
      [...good, { at: h(24 * 8 + 3), pain: 6, where: ['front'] }],
      h(24 * 8 + 4),
    );
    expect(back.plan?.step).toBe(1);
    expect(text(back)).toMatch(/back to step 1/);
  });

  it('is shown on the dashboard as a plan with today’s step, the reasons behind a "Why" disclosure', () => {
    const a = adviceFor(steady, [{ ...stop, knee: 'right' }, ...tested], h(73));
    const card = String(adviceCard(a, 'Europe/Berlin'));
    expect(card).toMatch(/Your return ladder \(right knee\): step 1 of 6/);
    expect(card).toMatch(
      /<li class="current" aria-current="step"><span class="here">You are here<\/span> 20 min walk-run: 1 min easy running, 2 min walking<\/li>/,
    );
    expect(card).toMatch(/<details class="why"><summary>Why<\/summary>/);
    expect(card).not.toMatch(/kneecheck (cleared|check|advice)/);
  });

  it('says today’s step in ≤ 120 characters on every step, rest day or not, with the knee named', () => {
    // The rest-day and done-today words are the headline as they are; a knee's label comes first.
    const today = 100;
    for (let step = 1; step <= 6; step++) {
      for (const last of [today, today - 1, today - 2]) {
        const words = ladderToday(step, last, today);
        expect(words).not.toMatch(/:.*:.*:/);
        for (const label of ['', 'Right knee', 'Both knees'])
          expect(labelled(label, words).length, words).toBeLessThanOrEqual(120);
      }
    }
  });

  it('is asked on the phone after "No pain" while a knee is stopped, as three buttons', () => {
    expect(nextStep('start', 'none')).toBeNull();
    expect(nextStep('start', 'none', { returnTest: true })).toBe('returnTest');
    expect(choicesOf('returnTest')).toHaveLength(3);
    expect(nextStep('returnTest', 'all')).toBeNull();
    const all = seriesCheck([
      { step: 'start', answer: 'none' },
      { step: 'returnTest', answer: 'all' },
    ]);
    expect(all.complete).toBe(true);
    expect(all.input).toMatchObject({ pain: 0, walkOk: true, squatOk: true, stairsOk: true });
    const walk = seriesCheck([
      { step: 'start', answer: 'none' },
      { step: 'returnTest', answer: 'walk-only' },
    ]);
    expect(walk.input).toMatchObject({ walkOk: true, squatOk: false, stairsOk: false });
  });

  it('starts where a clinician’s note says', () => {
    const a = adviceFor(steady, [stop], h(30), undefined, [h(28)]);
    expect(a.level).toBe('stop');
    const noted = adviceForNote(h(28), 'Seen by the physio: start at step 3');
    expect(noted.level).toBe('caution');
    expect(noted.plan?.step).toBe(3);
  });

  it('is suspended by a red flag', () => {
    const a = adviceFor(
      steady,
      [
        stop,
        ...tested,
        { at: h(80), pain: 2, where: ['front'], run: null, flags: { swelling: true } },
      ],
      h(81),
    );
    expect(a.level).toBe('see-doctor');
    expect(a.plan).toBeUndefined();
  });
});

import { localDayNumber } from '../load/days.ts';
import type { KneeCheck, Run } from '../model.ts';
import { ms } from './facts.ts';
import type { Facts } from './types.ts';
import type { Thresholds } from './thresholds.ts';

/**
 * The return ladder after a stop (science.md "The return ladder"; GUIDE-2026: no running until
 * walking, squatting and stairs are pain-free; PAIN-MONITORING: the knee's answer to each session
 * decides the next). The steps, every other day, are kneecheck's own.
 */
export const LADDER_STEPS: readonly { minutes: number; text: string }[] = [
  { minutes: 20, text: '20 min walk-run: 1 min easy running, 2 min walking' },
  { minutes: 20, text: '20 min walk-run: 1 min easy running, 1 min walking' },
  { minutes: 20, text: '20 min walk-run: 2 min easy running, 1 min walking' },
  { minutes: 20, text: '20 min walk-run: 4 min easy running, 1 min walking' },
  { minutes: 20, text: '20 min of easy running' },
  { minutes: 30, text: '30 min of easy running' },
];

/** How a ladder session went, by the after-run and next-morning answers. */
export type SessionOutcome = 'good' | 'hold' | 'back' | 'pending';

/** Where a knee stands after a stop. */
export type LadderState =
  | { kind: 'none' }
  /** Stopped: no running until the return test holds on two days in a row. */
  | { kind: 'stopped'; stop: KneeCheck; passedDays: number; steppedBack: boolean }
  | {
      kind: 'ladder';
      /** 1–6. */
      step: number;
      /** Good sessions on this step so far (two in a row: the next step). */
      good: number;
      /** The latest session's outcome (null: none yet on the ladder). */
      last: { run: Run; outcome: SessionOutcome; why: string } | null;
      /** When the ladder started (the second day the return test held). */
      startedAt: string;
    }
  /** The ladder was climbed: back to the ordinary rules. */
  | { kind: 'done' };

const passes = (c: KneeCheck): boolean =>
  c.walkOk === true && c.squatOk === true && c.stairsOk === true && c.pain === 0;

const cache = new WeakMap<Facts, LadderState>();

/** The ladder state of the knee `f` is about, from its checks and the runs (computed once per facts). */
export function ladderState(f: Facts, t: Thresholds): LadderState {
  const known = cache.get(f);
  if (known) return known;
  const state = compute(f, t);
  cache.set(f, state);
  return state;
}

function compute(f: Facts, t: Thresholds): LadderState {
  const isStop = (c: KneeCheck) => c.sharp || c.changedGait || c.pain > t.stopPainAbove;
  const zone = f.input.zone;
  // The ladder starts from a stop the pain rules still read (science.md "Checks age").
  const first = f.relevant.find(isStop);
  if (!first) return { kind: 'none' };
  const fromMs = ms(first.checkedAt);
  const checks = f.checks.filter((c) => ms(c.checkedAt) >= fromMs);
  const runs = f.runs.filter((r) => ms(r.startTime) > fromMs);
  type Event = { at: number; check?: KneeCheck; run?: Run; step?: number; clearedAt?: string };
  // A clinician's note ("cleared --note 'start at step 3'") sets where the ladder starts.
  const notes = (f.input.clearances ?? [])
    .filter((c) => ms(c.clearedAt) > fromMs && ms(c.clearedAt) <= f.nowMs)
    .map((c) => ({ c, step: Number(/\bstep\s*([1-6])\b/i.exec(c.note ?? '')?.[1] ?? NaN) }))
    .filter((x) => Number.isInteger(x.step));
  const events: Event[] = [
    ...checks.map((c) => ({ at: ms(c.checkedAt), check: c })),
    ...runs.map((r) => ({ at: ms(r.startTime), run: r })),
    ...notes.map((x) => ({ at: ms(x.c.clearedAt), step: x.step, clearedAt: x.c.clearedAt })),
  ];
  // By time; a run before a check made in the same millisecond.
  events.sort((a, b) => a.at - b.at || (a.run ? -1 : 1));

  // Assigned in the closures below too: typed wide, so the checks after them are not narrowed away.
  let state = { kind: 'none' } as LadderState;
  let passDay: number | null = null;
  // The open session: a ladder run and the checks about it so far, and the pain just before it.
  let session: { run: Run; checks: KneeCheck[]; before: number } | null = null;
  let lastPain = 0;

  const stopAt = (c: KneeCheck, steppedBack = false) => {
    state = { kind: 'stopped', stop: c, passedDays: 0, steppedBack };
    passDay = null;
    session = null;
  };
  /** Ends the open session: its outcome moves the ladder. */
  const close = () => {
    if (!session || state.kind !== 'ladder') return;
    const { outcome, why } = judge(session, state.step, zone, t);
    const s: Extract<LadderState, { kind: 'ladder' }> = {
      ...state,
      last: { run: session.run, outcome, why },
    };
    if (outcome === 'good') {
      s.good += 1;
      if (s.good >= 2) {
        s.step += 1;
        s.good = 0;
      }
    } else if (outcome === 'hold') s.good = 0;
    else if (outcome === 'back') {
      s.step -= 1;
      s.good = 0;
    }
    state = s.step > LADDER_STEPS.length ? { kind: 'done' } : s;
    if (state.kind === 'ladder' && state.step < 1) {
      const bad = session.checks.find(isStop) ?? session.checks.at(-1);
      if (bad) stopAt(bad, true);
    }
  };

  for (const e of events) {
    if (state.kind === 'done') break;
    if (e.step !== undefined && e.clearedAt !== undefined) {
      close();
      state = { kind: 'ladder', step: e.step, good: 0, last: null, startedAt: e.clearedAt };
      session = null;
      continue;
    }
    if (e.run) {
      if (state.kind === 'ladder') {
        close();
        if (state.kind === 'ladder') session = { run: e.run, checks: [], before: lastPain };
      }
      continue;
    }
    const c = e.check;
    if (!c) continue;
    if (state.kind === 'none') {
      if (isStop(c)) stopAt(c);
    } else if (state.kind === 'stopped') {
      if (isStop(c)) {
        stopAt(c);
      } else if (passes(c)) {
        const d = localDayNumber(c.checkedAt, zone);
        if (passDay !== null && d === passDay + 1) {
          state = { kind: 'ladder', step: 1, good: 0, last: null, startedAt: c.checkedAt };
        } else if (passDay === null || d !== passDay) {
          passDay = d;
          state = { ...state, passedDays: 1 };
        }
      } else if (c.pain > 0 || c.walkOk === false || c.squatOk === false || c.stairsOk === false) {
        // Not pain-free: the two days start again.
        passDay = null;
        state = { ...state, passedDays: 0 };
      }
    } else if (state.kind === 'ladder') {
      if (session) session.checks.push(c);
      else if (isStop(c)) {
        // Pain that is too much on a rest day of the ladder: one step back.
        state = { ...state, step: state.step - 1, good: 0 };
        if (state.step < 1) stopAt(c, true);
      }
    }
    lastPain = c.pain;
  }
  // The latest session: decided when its next-morning answer is in (else pending).
  if (state.kind === 'ladder' && session) {
    const s: { run: Run; checks: KneeCheck[]; before: number } = session;
    const runDay = localDayNumber(s.run.startTime, zone);
    const morning = s.checks.some((c) => localDayNumber(c.checkedAt, zone) > runDay);
    const judged = judge(s, state.step, zone, t);
    if (morning || judged.outcome !== 'good') close();
    else state = { ...state, last: { run: s.run, outcome: 'pending', why: judged.why } };
  }
  return state;
}

/**
 * One session by its answers (science.md): > 5/10, sharp or limp → back one step; 3–5/10, the
 * next morning worse than before, or a run longer than the step → stay; ≤ 2/10 during and after
 * and the next morning no worse → good. No answer at all: stay (nothing says it went well).
 */
function judge(
  session: { run: Run; checks: readonly KneeCheck[]; before: number },
  step: number,
  zone: string,
  t: Thresholds,
): { outcome: SessionOutcome; why: string } {
  const { run, checks, before } = session;
  if (checks.length === 0) return { outcome: 'hold', why: 'no knee check after it' };
  const worst = Math.max(...checks.map((c) => c.pain));
  if (checks.some((c) => c.sharp || c.changedGait) || worst > t.stopPainAbove)
    return { outcome: 'back', why: `pain of ${worst}/10 or sharp pain or a limp` };
  if (worst > 2) return { outcome: 'hold', why: `pain of ${worst}/10 (more than 2)` };
  const runDay = localDayNumber(run.startTime, zone);
  const morning = checks.find((c) => localDayNumber(c.checkedAt, zone) > runDay);
  if (morning && morning.pain > before)
    return { outcome: 'hold', why: 'the next morning was worse than before the session' };
  // A session well past the step's time is not the step (a quarter over: kneecheck's own).
  const minutes = LADDER_STEPS[Math.max(0, step - 1)]?.minutes ?? 30;
  const tookS = run.movingTimeS ?? run.elapsedTimeS ?? 0;
  if (tookS > minutes * 60 * 1.25)
    return {
      outcome: 'hold',
      why: `${Math.round(tookS / 60)} min, longer than the step's ${minutes}`,
    };
  return { outcome: 'good', why: `pain of ${worst}/10 at most` };
}

import type { FormSummary, KneeCheck, Run, RunId } from '../model.ts';
import { compare, GATE_FLARES, GATE_RUNS, type Comparison } from './compare.ts';
import { EXPOSURES, exposuresOf, runEndMs, type Exposure } from './exposures.ts';
import { FLARE_WINDOW_H, kneesOf, outcomesOf, type Outcome, type PatternKnee } from './flares.ts';

export { patternWords } from './words.ts';
export type { Exposure } from './exposures.ts';
export type { PatternKnee } from './flares.ts';
export type { Grade, GroupCount, Interval } from './compare.ts';
export { GATE_FLARES, GATE_RUNS } from './compare.ts';

/** Two exposures selecting the same runs more than this share of the time can't be told apart. */
export const OVERLAP_SHARE = 0.7;

/** What the pattern is computed from (all of it up to `now`; nothing is read here). */
export interface PatternInput {
  /** Counted runs (excluded ones left out), any order. */
  runs: readonly Run[];
  forms: ReadonlyMap<RunId, FormSummary>;
  /** Knee checks made at or before `now`. */
  checks: readonly KneeCheck[];
  /** The shoe pair id of each run that has one. */
  shoeOf: ReadonlyMap<RunId, number>;
  /** The runner's IANA zone. */
  zone: string;
  now: Date;
}

/** How far the history is from enough to describe a pattern. */
export interface PatternGate {
  /** Runs with a knee answer within 48 h (any knee), not made during a flare. */
  answeredRuns: number;
  /** Flare episodes (flare days in a row are one). */
  flares: number;
  needed: { answeredRuns: number; flares: number };
  met: boolean;
}

/** One exposure's comparison for one knee (DESIGN §4 `pattern`). */
export interface ExposurePattern extends Comparison {
  exposure: Exposure;
  /** The other exposures selecting mostly the same runs ("can't tell these apart"). */
  overlaps: Exposure[];
}

/** One knee's pattern; `exposures` is empty until the knee's own counts pass the gate. */
export interface KneePattern {
  /** The side, or null when no check named one. */
  knee: PatternKnee;
  answeredRuns: number;
  flares: number;
  exposures: ExposurePattern[];
}

/** The `pattern --json` document (DESIGN §4). */
export interface Pattern {
  gate: PatternGate;
  /** Empty before the gate. */
  knees: KneePattern[];
  /** The distance above which a run is long for this runner (its 75th percentile), m. */
  longRunM: number | null;
  generatedAt: string;
}

/**
 * A run's outcome as of `now`: a run whose 48 h are not over and has no flare yet may still
 * have one, so it is not counted yet.
 */
function settled(outcome: Outcome, run: Run, now: number): Outcome {
  if (outcome === 'flare' || outcome === 'during-flare') return outcome;
  return runEndMs(run) + FLARE_WINDOW_H * 3_600_000 > now ? 'no-answer' : outcome;
}

const gateMet = (answered: number, flares: number): boolean =>
  answered >= GATE_RUNS && flares >= GATE_FLARES;

/**
 * The runner's own pattern (science.md "A personal pattern"): for each knee, flares after the
 * runs of each pre-declared exposure against the other runs, counted, with Jeffreys intervals,
 * the chance the exposed rate is higher and its grade, and the exposures that can't be told
 * apart. Pure and deterministic: the same input gives the same document.
 */
export function patternOf(input: PatternInput): Pattern {
  const nowMs = input.now.getTime();
  const runs = input.runs.filter((r) => r.excluded === null && Date.parse(r.startTime) <= nowMs);
  const checks = input.checks.filter((c) => Date.parse(c.checkedAt) <= nowMs);
  const outcomes = (knee: PatternKnee): { byRun: Map<RunId, Outcome>; episodes: number } => {
    const o = outcomesOf(runs, checks, knee, input.zone);
    for (const r of runs) o.byRun.set(r.id, settled(o.byRun.get(r.id) ?? 'no-answer', r, nowMs));
    return o;
  };
  const answeredOf = (byRun: Map<RunId, Outcome>): number =>
    [...byRun.values()].filter((o) => o === 'flare' || o === 'no-flare').length;
  // The gate is the runner's: every check, whichever knee it names.
  const any = outcomes(null);
  const gate: PatternGate = {
    answeredRuns: answeredOf(any.byRun),
    flares: any.episodes,
    needed: { answeredRuns: GATE_RUNS, flares: GATE_FLARES },
    met: gateMet(answeredOf(any.byRun), any.episodes),
  };
  const { byRun: exposed, longRunM } = exposuresOf({
    runs,
    forms: input.forms,
    shoeOf: input.shoeOf,
    zone: input.zone,
  });
  const knees = !gate.met
    ? []
    : kneesOf(checks).map((knee): KneePattern => {
        const o = knee === null ? any : outcomes(knee);
        const answered = answeredOf(o.byRun);
        return {
          knee,
          answeredRuns: answered,
          flares: o.episodes,
          exposures: gateMet(answered, o.episodes) ? exposuresFor(runs, o.byRun, exposed) : [],
        };
      });
  return { gate, knees, longRunM, generatedAt: input.now.toISOString() };
}

/** The comparisons of one knee, with their overlaps. */
function exposuresFor(
  runs: readonly Run[],
  outcomes: Map<RunId, Outcome>,
  exposed: ReturnType<typeof exposuresOf>['byRun'],
): ExposurePattern[] {
  const answered = runs.filter((r) => {
    const o = outcomes.get(r.id);
    return o === 'flare' || o === 'no-flare';
  });
  const selected = new Map<Exposure, Set<RunId>>();
  const out = EXPOSURES.map((exposure) => {
    let x1 = 0;
    let n1 = 0;
    let x2 = 0;
    let n2 = 0;
    const ids = new Set<RunId>();
    for (const r of answered) {
      const e = exposed.get(r.id)?.[exposure] ?? null;
      if (e === null) continue;
      const flare = outcomes.get(r.id) === 'flare' ? 1 : 0;
      if (e) {
        n1++;
        x1 += flare;
        ids.add(r.id);
      } else {
        n2++;
        x2 += flare;
      }
    }
    selected.set(exposure, ids);
    return { exposure, ...compare(x1, n1, x2, n2) };
  });
  return out.map((e) => ({
    ...e,
    overlaps: EXPOSURES.filter(
      (other) =>
        other !== e.exposure &&
        overlapShare(selected.get(e.exposure), selected.get(other)) > OVERLAP_SHARE,
    ),
  }));
}

/**
 * The share of runs selected by either exposure that both select (|A ∩ B| / |A ∪ B|): above
 * {@link OVERLAP_SHARE}, a flare after one is a flare after the other, and the counts cannot say
 * which of the two goes with the knee.
 */
export function overlapShare(
  a: ReadonlySet<RunId> | undefined,
  b: ReadonlySet<RunId> | undefined,
): number {
  if (!a || !b) return 0;
  let both = 0;
  for (const id of a) if (b.has(id)) both++;
  const either = a.size + b.size - both;
  return either === 0 ? 0 : both / either;
}

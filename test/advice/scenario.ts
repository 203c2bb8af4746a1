import { createHash } from 'node:crypto';
import fit from '../../importers/fit.ts';
import { advise } from '../../src/advice/advise.ts';
import type { Thresholds } from '../../src/advice/thresholds.ts';
import {
  NO_KNEE_FLAGS,
  type Advice,
  type FormSummary,
  type KneeCheck,
  type KneeFlag,
  type KneeLocation,
  type Run,
  type RunId,
} from '../../src/model.ts';
import { synthFit } from '../support/synth-fit.ts';

export const ZONE = 'Europe/Berlin';

export interface RunSpec {
  /** Start, as an ISO instant. */
  at: string;
  km: number;
  speedMps?: number;
  /** Steps/min, constant or by seconds since the start. */
  spm?: number | ((t: number) => number);
  /** The watch's local UTC offset in minutes (default: none written). */
  offsetMin?: number;
}

export interface CheckSpec {
  at: string;
  pain: number;
  where?: KneeLocation[];
  /** The run it is about: index into the runs (default: the latest run started before it; null: no run). */
  run?: number | null;
  flags?: Partial<Pick<KneeCheck, KneeFlag>>;
  /** Which knee (default: not said). */
  knee?: KneeCheck['knee'];
  /** Answered as a range (the phone's "6 or more"): `pain` is then its upper bound. */
  painRange?: KneeCheck['painRange'];
  /** The return test, asked after a stop. */
  walkOk?: boolean;
  squatOk?: boolean;
  stairsOk?: boolean;
}

/** Real FIT bytes for each run, through the real importer, as a runner's history. */
export function history(specs: readonly RunSpec[]): {
  runs: Run[];
  forms: Map<RunId, FormSummary>;
} {
  const runs: Run[] = [];
  const forms = new Map<RunId, FormSummary>();
  for (const s of specs) {
    // Records every 5 s: the duration is a multiple of 5 s and the speed makes the distance exact.
    const durationS = Math.round((s.km * 1000) / (s.speedMps ?? 2.8) / 5) * 5;
    const speed = (s.km * 1000) / durationS;
    const bytes = synthFit({
      start: new Date(s.at),
      localOffsetMin: s.offsetMin ?? null,
      recordEveryS: 5,
      sessions: [
        {
          durationS,
          speedMps: speed,
          stepRateSpm: s.spm ?? 166,
        },
      ],
    });
    const out = fit.read(
      { bytes, sha256: createHash('sha256').update(bytes).digest('hex') },
      { timezone: ZONE },
    );
    if (out.kind !== 'runs' || !out.runs[0])
      throw new Error(`synthetic run not imported: ${JSON.stringify(out)}`);
    runs.push(out.runs[0].run);
    if (out.runs[0].form) forms.set(out.runs[0].run.id, out.runs[0].form);
  }
  return { runs, forms };
}

export function checks(specs: readonly CheckSpec[], runs: readonly Run[]): KneeCheck[] {
  return specs.map((c, i) => {
    const before = runs.filter((r) => Date.parse(r.startTime) <= Date.parse(c.at));
    const run = c.run === null ? undefined : c.run !== undefined ? runs[c.run] : before.at(-1);
    return {
      id: i + 1,
      runId: run?.id ?? null,
      checkedAt: c.at,
      pain: c.pain,
      where: c.where ?? [],
      ...NO_KNEE_FLAGS,
      knee: c.knee ?? null,
      painRange: c.painRange ?? null,
      walkOk: c.walkOk ?? null,
      squatOk: c.squatOk ?? null,
      stairsOk: c.stairsOk ?? null,
      via: 'cli',
      note: null,
      ...c.flags,
    };
  });
}

/** The advice at `now` for these runs and checks. */
export function adviceFor(
  runSpecs: readonly RunSpec[],
  checkSpecs: readonly CheckSpec[],
  now: string,
  thresholds?: Thresholds,
  clearedAt: readonly string[] = [],
): Advice {
  const { runs, forms } = history(runSpecs);
  return advise({
    runs,
    forms,
    checks: checks(checkSpecs, runs),
    clearances: clearedAt.map((at, i) => ({ id: i + 1, clearedAt: at, note: null })),
    now: new Date(now),
    zone: ZONE,
    units: 'metric',
    ...(thresholds ? { thresholds } : {}),
  });
}

/**
 * A beginner's regular weeks: runs 1, 3 and 5 days before `now` (07:00 UTC) and the same days of
 * each earlier week, oldest first, so every 7-day window holds three runs of `km`.
 */
export function weekly(
  now: string,
  weeks: number,
  km: number,
  extra: Partial<RunSpec> = {},
): RunSpec[] {
  const end = new Date(now);
  end.setUTCHours(7, 0, 0, 0);
  const out: RunSpec[] = [];
  for (let w = weeks - 1; w >= 0; w--) {
    for (const d of [5, 3, 1]) {
      out.push({
        at: new Date(end.getTime() - (d + 7 * w) * 86_400_000).toISOString(),
        km,
        ...extra,
      });
    }
  }
  return out;
}

/** `specs` with its most recent run changed. */
export function lastRun(specs: readonly RunSpec[], change: Partial<RunSpec>): RunSpec[] {
  return specs.map((s, i) => (i === specs.length - 1 ? { ...s, ...change } : s));
}

/** An ISO instant `days` before `now` at 07:00 UTC. */
export function daysBefore(now: string, days: number): string {
  const end = new Date(now);
  end.setUTCHours(7, 0, 0, 0);
  return new Date(end.getTime() - days * 86_400_000).toISOString();
}

export const codes = (a: Advice) => a.suggestions.map((s) => s.code);
export const because = (a: Advice, code: string, signal: string) =>
  a.suggestions.find((s) => s.code === code)?.because.find((b) => b.signal === signal);

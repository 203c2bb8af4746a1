import { createHash } from 'node:crypto';
import type { ImportedRun } from '../src/model.ts';
import type { ImportContext, ImportOutcome } from './types.ts';
import {
  ExportParser,
  NotAnExport,
  type ParsedExport,
  type WorkoutInfo,
} from './apple-health-parse.ts';
import { parseRoute, type RoutePoint } from './apple-health-route.ts';
import { buildAppleRun, emptySamples, type RunSamples } from './apple-health-run.ts';
import {
  RecordSpill,
  SAMPLE_HEART_RATE,
  SAMPLE_SPEED,
  SAMPLE_STEP_LENGTH,
  SAMPLE_STEPS,
  type Sample,
} from './apple-health-spill.ts';

/**
 * An Apple Health export as the importer reads it, whatever holds it (the Health app's zip, the
 * unzipped `apple_health_export/` folder, a bare export.xml): the caller does the I/O.
 */
export interface AppleExportSource {
  /** export.xml's bytes, streamed (never read whole: it is often several GB). */
  open(): Promise<AsyncIterable<Uint8Array>>;
  /** export.xml's size in bytes, for progress; null when unknown. */
  size: number | null;
  /**
   * A route file's text by its `FileReference` path (`/workout-routes/route_….gpx`, relative to
   * `apple_health_export/`); null when the export does not hold it.
   */
  route(refPath: string): Promise<string | null>;
  /** A private folder for the scratch file of samples (asked for only on large exports). */
  scratchDir(): string;
}

/** What became of an export: one outcome for the export, its hash and size, and its not-runs. */
export interface AppleExportResult {
  outcome: ImportOutcome;
  /** sha256 of export.xml's bytes (hashed as they stream past). */
  sha256: string;
  /** Bytes of export.xml read. */
  size: number;
  /**
   * What else the report should say of the export: "3 workouts not a run (…)" (counted, not
   * listed one by one), that it is damaged; null when nothing.
   */
  note: string | null;
  /** The root element of an XML file that is not an export (not `<HealthData>`), else null. */
  notAnExport: string | null;
}

/** Runs whose samples are gathered in one pass over the spill file (see readAppleExport). */
export const RUNS_PER_PASS = 200;

/** Bytes decoded to text at a time (see readAppleExport). */
const DECODE_PIECE = 32 * 1024;

/** Progress while export.xml streams: bytes read so far and the total (null when unknown). */
export type ByteProgress = (done: number, total: number | null) => void;

const shortType = (t: string): string =>
  t
    .replace(/^HKWorkoutActivityType/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();

function notRunsText(p: ParsedExport): string | null {
  const total = [...p.notRuns.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const kinds = [...p.notRuns.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([t, n]) => `${n} ${shortType(t)}`)
    .join(', ');
  return `${total} workout${total === 1 ? '' : 's'} not a run (${kinds})`;
}

/**
 * The runs' windows, sorted by start, with the latest end up to each (an interval index: a
 * sample finds the runs it overlaps by one binary search and a short walk back).
 */
class RunWindows {
  readonly #runs: WorkoutInfo[];
  readonly #maxEnd: number[];
  readonly samples: RunSamples[];

  constructor(runs: readonly WorkoutInfo[]) {
    this.#runs = [...runs].sort((a, b) => a.startS - b.startS);
    let max = -Infinity;
    this.#maxEnd = this.#runs.map((r) => (max = Math.max(max, r.endS)));
    this.samples = this.#runs.map(() => emptySamples());
  }

  get runs(): readonly WorkoutInfo[] {
    return this.#runs;
  }

  add(s: Sample): void {
    const end = s.startS + s.durS;
    let lo = 0;
    let hi = this.#runs.length - 1;
    let last = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#runs[mid] as WorkoutInfo).startS <= end) {
        last = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = last; i >= 0 && (this.#maxEnd[i] as number) >= s.startS; i--) {
      const w = this.#runs[i] as WorkoutInfo;
      if (w.endS < s.startS) continue;
      this.#assign(this.samples[i] as RunSamples, w, s);
    }
  }

  #assign(acc: RunSamples, w: WorkoutInfo, s: Sample): void {
    switch (s.kind) {
      case SAMPLE_STEPS: {
        // A sample across the run's edge counts for the part inside it.
        const overlap = Math.min(w.endS, s.startS + s.durS) - Math.max(w.startS, s.startS);
        const share = s.durS > 0 ? Math.max(0, overlap) / s.durS : 1;
        acc.stepsBySource[s.source] = (acc.stepsBySource[s.source] ?? 0) + s.value * share;
        acc.steps.push({ startS: s.startS, durS: s.durS, steps: s.value, source: s.source });
        break;
      }
      case SAMPLE_HEART_RATE:
        acc.heartRate.push({ tS: s.startS, bpm: s.value });
        break;
      case SAMPLE_STEP_LENGTH:
        acc.stepLength.push({ tS: s.startS, m: s.value });
        break;
      case SAMPLE_SPEED:
        acc.speed.push({ tS: s.startS, mps: s.value });
        break;
      default:
    }
  }
}

/** The route points of a workout (every file it references), read one run at a time. */
async function routeOf(w: WorkoutInfo, src: AppleExportSource): Promise<RoutePoint[]> {
  const points: RoutePoint[] = [];
  for (const ref of w.routes) {
    const text = await src.route(ref);
    const read = text === null ? null : parseRoute(text);
    if (read) points.push(...read);
  }
  return points;
}

/**
 * Reads an Apple Health export in one pass over export.xml: running workouts are kept with their
 * Workout-level figures, Records of the sample types a run needs go to a spill file (they come
 * before the workouts), and after the pass the spill is read once per {@link RUNS_PER_PASS} runs
 * and each sample given to the runs it overlaps. Other workouts are counted. Never throws for a
 * bad export: the outcome says.
 */
export async function readAppleExport(
  src: AppleExportSource,
  ctx: ImportContext,
  onBytes?: ByteProgress,
): Promise<AppleExportResult> {
  const hash = createHash('sha256');
  let size = 0;
  const spill = new RecordSpill(() => src.scratchDir());
  let notAnExport: string | null = null;
  const result = (outcome: ImportOutcome, note: string | null = null): AppleExportResult => ({
    outcome,
    sha256: hash.digest('hex'),
    size,
    note,
    notAnExport,
  });
  try {
    const parser = new ExportParser(spill);
    const decoder = new TextDecoder('utf-8');
    let parsed: ParsedExport;
    try {
      for await (const chunk of await src.open()) {
        hash.update(chunk);
        size += chunk.length;
        // In small pieces: a string over ~128 KB goes to V8's large-object space, freed only by
        // a full collection, and a multi-GB export would pile them up between collections.
        for (let at = 0; at < chunk.length; at += DECODE_PIECE) {
          const piece = chunk.subarray(at, Math.min(chunk.length, at + DECODE_PIECE));
          parser.write(decoder.decode(piece, { stream: true }));
        }
        onBytes?.(size, src.size);
      }
      parser.write(decoder.decode());
      parsed = parser.end();
    } catch (e) {
      if (e instanceof NotAnExport) {
        notAnExport = e.message;
        return result({
          kind: 'failed',
          error: `not an Apple Health export: its root element is <${e.message}>, not <HealthData> (export it again from the Health app: profile → Export All Health Data)`,
        });
      }
      const err = e as NodeJS.ErrnoException;
      return result({ kind: 'failed', error: `unreadable Apple Health export: ${err.message}` });
    }
    if (parsed.root === null) {
      return result({
        kind: 'failed',
        error: `not an Apple Health export: no XML element found${parsed.error ? ` (${parsed.error})` : ''}`,
      });
    }
    const notRuns = notRunsText(parsed);
    if (parsed.runs.length === 0) {
      const why = notRuns ? `: ${notRuns}` : ` (no workouts; ${parsed.records} records)`;
      return result({
        kind: 'skipped',
        reason: `no running workout in this Apple Health export${why}`,
      });
    }
    const timed = parsed.runs
      .filter((w) => Number.isFinite(w.startS) && Number.isFinite(w.endS))
      .sort((x, y) => x.startS - y.startS);
    const runs: ImportedRun[] = [];
    // The samples of at most RUNS_PER_PASS runs are held at once, whatever the number of runs:
    // a runner with years of daily runs costs more passes over the spill file, not more memory.
    for (let from = 0; from < timed.length; from += RUNS_PER_PASS) {
      const windows = new RunWindows(timed.slice(from, from + RUNS_PER_PASS));
      spill.forEach((s) => windows.add(s));
      for (const [i, w] of windows.runs.entries()) {
        runs.push(buildAppleRun(w, windows.samples[i] as RunSamples, await routeOf(w, src), ctx));
        // The run is built: its samples are not needed any more.
        windows.samples[i] = emptySamples();
      }
    }
    // A cut-off export (a download stopped short): the workouts read are whole (their Records
    // come before them); the report says that the rest could not be read.
    const damaged = parsed.error
      ? `export.xml is damaged (${parsed.error.replace(/\s+$/, '')}): runs recorded after that point could not be read; export again from the Health app`
      : null;
    const note = [notRuns, damaged].filter((x) => x !== null).join('; ');
    return result({ kind: 'runs', runs }, note === '' ? null : note);
  } finally {
    spill.close();
  }
}

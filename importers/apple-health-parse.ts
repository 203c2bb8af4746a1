import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { appleDateS, metres, num, seconds } from './apple-health-units.ts';
import type { RecordSpill } from './apple-health-spill.ts';
import { SAMPLE_KINDS, SOURCE_OTHER, SOURCE_PHONE, SOURCE_WATCH } from './apple-health-spill.ts';

/** The workout type that is a run (every other `workoutActivityType` is "not a run"). */
export const RUNNING_TYPE = 'HKWorkoutActivityTypeRunning';

/** A Workout-level `WorkoutStatistics` (only those of the whole workout, not of one activity). */
export interface WorkoutStat {
  sum: number | null;
  average: number | null;
  unit: string;
}

/** One `WorkoutEvent` at Workout level. `atS`: unix seconds; `durationS` when written. */
export interface WorkoutEventInfo {
  type: string;
  atS: number;
  durationS: number | null;
}

/** What the export says of one running workout, read in one pass (records come separately). */
export interface WorkoutInfo {
  /** Unix seconds (the instant is right; the written offset is the export day's, not the run's). */
  startS: number;
  endS: number;
  /** `duration` in seconds (Apple's active time, pauses excluded), null when not written. */
  durationS: number | null;
  /** `totalDistance` in metres (older exports), null when not written. */
  totalDistanceM: number | null;
  sourceName: string;
  /** The `device` attribute's name and hardware (`Apple Watch`, `Watch7,2`), when written. */
  deviceName: string | null;
  hardware: string | null;
  metadata: Map<string, string>;
  stats: Map<string, WorkoutStat>;
  events: WorkoutEventInfo[];
  /** `FileReference` paths of its routes, as written (`/workout-routes/route_….gpx`). */
  routes: string[];
}

/** What one pass over export.xml found. */
export interface ParsedExport {
  runs: WorkoutInfo[];
  /** Workouts that are not runs, by `workoutActivityType`. */
  notRuns: Map<string, number>;
  records: number;
  /** The root element's name (`HealthData` for an Apple export), null when none was seen. */
  root: string | null;
  /** The first XML error that is not an undefined (DTD) entity, null when none. */
  error: string | null;
}

/** `<<HKDevice: 0x…>, name:Apple Watch, …, hardware:Watch7,2, …>` → its name and hardware. */
export function deviceParts(device: string | undefined): {
  name: string | null;
  hardware: string | null;
} {
  if (!device) return { name: null, hardware: null };
  const name = /\bname:([^,>]+)/.exec(device)?.[1]?.trim() ?? null;
  const hardware = /\bhardware:([^\s,>]+(?:,\d+)?)/.exec(device)?.[1] ?? null;
  return { name, hardware };
}

/** Which kind of device wrote a sample: the `device` hardware first, the source name second. */
function sourceKind(device: string | undefined, sourceName: string | undefined): number {
  if (device) {
    if (device.includes('hardware:Watch')) return SOURCE_WATCH;
    if (device.includes('hardware:iPhone')) return SOURCE_PHONE;
  }
  const name = sourceName ?? '';
  if (/watch/i.test(name)) return SOURCE_WATCH;
  if (/iphone/i.test(name)) return SOURCE_PHONE;
  return SOURCE_OTHER;
}

/**
 * The attributes as strings of their own. saxes hands out slices of the text it was fed, and a
 * slice keeps the whole chunk it came from alive: a kept workout's 20-byte name would hold on to
 * a chunk of the export, one per run. Only what is kept is copied (not every Record's).
 */
function ownAttributes(a: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a)) out[k] = Buffer.from(v, 'utf8').toString('utf8');
  return out;
}

/** Sentinel thrown from a handler to stop reading a file that is not an Apple export. */
export class NotAnExport extends Error {}

/**
 * A streaming reader of export.xml: feed it text with {@link ExportParser.write}; it keeps the
 * running workouts (with their Workout-level statistics, events, metadata and routes), counts the
 * others, and writes the samples a run needs (step counts, heart rate, step length, speed) to a
 * spill file, since Records come before Workouts in an export. Nothing else is kept: memory stays
 * flat whatever the size of the export.
 */
export class ExportParser {
  readonly #sax = new SaxesParser({ position: false });
  readonly #spill: RecordSpill;
  readonly #out: ParsedExport = {
    runs: [],
    notRuns: new Map(),
    records: 0,
    root: null,
    error: null,
  };
  #depth = 0;
  /** The workout being read and the depth of its element. */
  #workout: (WorkoutInfo & { type: string }) | null = null;
  #workoutDepth = 0;
  /** Depth of an open `WorkoutActivity` inside the workout (its statistics are not the workout's). */
  #activityDepth = 0;

  constructor(spill: RecordSpill) {
    this.#spill = spill;
    this.#sax.on('error', (e) => {
      // A DTD's own entities are never expanded (no billion laughs): the text stays as written.
      if (this.#out.error === null && !/undefined entity/i.test(e.message)) {
        this.#out.error = e.message;
      }
    });
    this.#sax.on('opentag', (t) => this.#open(t as SaxesTagPlain));
    this.#sax.on('closetag', (t) => this.#close(t as SaxesTagPlain));
  }

  write(text: string): void {
    this.#sax.write(text);
  }

  end(): ParsedExport {
    this.#sax.close();
    return this.#out;
  }

  #open(t: SaxesTagPlain): void {
    const depth = ++this.#depth;
    const inside = this.#workout !== null || t.name === 'Workout';
    const a = inside ? ownAttributes(t.attributes) : t.attributes;
    if (depth === 1) {
      this.#out.root = t.name;
      if (t.name !== 'HealthData') throw new NotAnExport(t.name);
      return;
    }
    const w = this.#workout;
    if (w === null) {
      if (t.name === 'Record') this.#record(a);
      else if (t.name === 'Workout') this.#startWorkout(a, depth);
      return;
    }
    const direct = depth === this.#workoutDepth + 1;
    switch (t.name) {
      case 'WorkoutActivity':
        if (direct) this.#activityDepth = depth;
        break;
      case 'MetadataEntry':
        if (direct && a.key !== undefined && a.value !== undefined) w.metadata.set(a.key, a.value);
        break;
      case 'WorkoutStatistics':
        if (direct && a.type) {
          w.stats.set(a.type, { sum: num(a.sum), average: num(a.average), unit: a.unit ?? '' });
        }
        break;
      case 'WorkoutEvent':
        if (direct && a.type) {
          const dur = num(a.duration);
          w.events.push({
            type: a.type,
            atS: appleDateS(a.date),
            durationS: dur === null ? null : seconds(dur, a.durationUnit),
          });
        }
        break;
      case 'FileReference':
        if (a.path && !w.routes.includes(a.path)) w.routes.push(a.path);
        break;
      default:
    }
  }

  #close(t: SaxesTagPlain): void {
    const depth = this.#depth--;
    if (this.#workout === null) return;
    if (depth === this.#activityDepth && t.name === 'WorkoutActivity') this.#activityDepth = 0;
    if (depth !== this.#workoutDepth) return;
    const w = this.#workout;
    this.#workout = null;
    if (w.type === RUNNING_TYPE) {
      this.#out.runs.push(w);
    } else {
      this.#out.notRuns.set(w.type, (this.#out.notRuns.get(w.type) ?? 0) + 1);
    }
  }

  #startWorkout(a: Record<string, string>, depth: number): void {
    const dur = num(a.duration);
    const dist = num(a.totalDistance);
    const { name, hardware } = deviceParts(a.device);
    this.#workoutDepth = depth;
    this.#activityDepth = 0;
    this.#workout = {
      type: a.workoutActivityType ?? 'unknown',
      startS: appleDateS(a.startDate),
      endS: appleDateS(a.endDate),
      durationS: dur === null ? null : seconds(dur, a.durationUnit),
      totalDistanceM: dist === null ? null : metres(dist, a.totalDistanceUnit ?? 'km'),
      sourceName: (a.sourceName ?? '').trim(),
      deviceName: name,
      hardware,
      metadata: new Map(),
      stats: new Map(),
      events: [],
      routes: [],
    };
  }

  #record(a: Record<string, string>): void {
    this.#out.records++;
    const kind = a.type === undefined ? undefined : SAMPLE_KINDS.get(a.type);
    if (kind === undefined) return;
    const value = num(a.value);
    const start = appleDateS(a.startDate);
    if (value === null || !Number.isFinite(start)) return;
    const end = appleDateS(a.endDate);
    this.#spill.add(
      start,
      Number.isFinite(end) && end >= start ? end - start : 0,
      kind.scale(value, a.unit),
      kind.id,
      sourceKind(a.device, a.sourceName),
    );
  }
}

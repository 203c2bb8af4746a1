import fs from 'node:fs';
import path from 'node:path';
import { metres } from './apple-health-units.ts';

/** Which device wrote a sample (step counts: the watch's are preferred, never added to the phone's). */
export const SOURCE_OTHER = 0;
export const SOURCE_PHONE = 1;
export const SOURCE_WATCH = 2;

/** Kinds of sample a run needs, by their spill id. */
export const SAMPLE_STEPS = 0;
export const SAMPLE_HEART_RATE = 1;
export const SAMPLE_STEP_LENGTH = 2;
export const SAMPLE_SPEED = 3;

interface SampleKind {
  id: number;
  /** The written value in kneecheck's unit (steps, beats/min, m, m/s); NaN when the unit is unknown. */
  scale: (value: number, unit: string | undefined) => number;
}

const SPEED_UNITS: Record<string, number> = {
  'm/s': 1,
  'km/hr': 1000 / 3600,
  'km/h': 1000 / 3600,
  'mi/hr': 1609.344 / 3600,
  mph: 1609.344 / 3600,
};

/** The Record types read, and how their values are scaled. */
export const SAMPLE_KINDS: ReadonlyMap<string, SampleKind> = new Map([
  ['HKQuantityTypeIdentifierStepCount', { id: SAMPLE_STEPS, scale: (v) => v }],
  ['HKQuantityTypeIdentifierHeartRate', { id: SAMPLE_HEART_RATE, scale: (v) => v }],
  [
    'HKQuantityTypeIdentifierRunningStrideLength',
    { id: SAMPLE_STEP_LENGTH, scale: (v, u) => metres(v, u ?? 'm') ?? NaN },
  ],
  [
    'HKQuantityTypeIdentifierRunningSpeed',
    { id: SAMPLE_SPEED, scale: (v, u) => v * (SPEED_UNITS[u ?? 'm/s'] ?? NaN) },
  ],
]);

/** One spilled sample: unix seconds, seconds it spans, value, kind and source. */
export interface Sample {
  startS: number;
  durS: number;
  value: number;
  kind: number;
  source: number;
}

const ROW = 20;
const ROWS_PER_CHUNK = 1 << 16;

/**
 * Samples kept aside while export.xml is read (Records come before the Workouts that say which
 * of them matter): 20 bytes a sample, in a scratch file once more than one chunk (64 Ki samples,
 * 1.3 MB) is held, so a multi-GB export never holds its samples in memory.
 */
export class RecordSpill {
  readonly #dir: () => string;
  #buf = Buffer.alloc(ROW * ROWS_PER_CHUNK);
  #rows = 0;
  #file: string | null = null;
  #fd: number | null = null;
  #total = 0;

  /** `dir`: where to put the scratch file, asked for only when one is needed. */
  constructor(dir: () => string) {
    this.#dir = dir;
  }

  get count(): number {
    return this.#total;
  }

  add(startS: number, durS: number, value: number, kind: number, source: number): void {
    if (!Number.isFinite(value)) return;
    if (this.#rows === ROWS_PER_CHUNK) this.#flush();
    const o = this.#rows++ * ROW;
    this.#buf.writeDoubleLE(startS, o);
    this.#buf.writeFloatLE(durS, o + 8);
    this.#buf.writeFloatLE(value, o + 12);
    this.#buf[o + 16] = kind;
    this.#buf[o + 17] = source;
    this.#total++;
  }

  #flush(): void {
    if (this.#fd === null) {
      this.#file = path.join(this.#dir(), `samples-${process.pid}-${Date.now()}.bin`);
      this.#fd = fs.openSync(this.#file, 'w+', 0o600);
    }
    fs.writeSync(this.#fd, this.#buf, 0, this.#rows * ROW);
    this.#rows = 0;
  }

  /** Calls `each` for every sample, in the order added. */
  forEach(each: (s: Sample) => void): void {
    const s: Sample = { startS: 0, durS: 0, value: 0, kind: 0, source: 0 };
    const visit = (buf: Buffer, rows: number) => {
      for (let r = 0; r < rows; r++) {
        const o = r * ROW;
        s.startS = buf.readDoubleLE(o);
        s.durS = buf.readFloatLE(o + 8);
        s.value = buf.readFloatLE(o + 12);
        s.kind = buf[o + 16] ?? 0;
        s.source = buf[o + 17] ?? 0;
        each(s);
      }
    };
    if (this.#fd !== null) {
      const chunk = Buffer.alloc(ROW * ROWS_PER_CHUNK);
      let pos = 0;
      for (;;) {
        const n = fs.readSync(this.#fd, chunk, 0, chunk.length, pos);
        if (n <= 0) break;
        pos += n;
        visit(chunk, Math.floor(n / ROW));
      }
    }
    visit(this.#buf, this.#rows);
  }

  /** Removes the scratch file. */
  close(): void {
    if (this.#fd !== null) fs.closeSync(this.#fd);
    if (this.#file !== null) fs.rmSync(this.#file, { force: true });
    this.#fd = null;
    this.#file = null;
  }
}

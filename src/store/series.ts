import type { Statement } from 'better-sqlite3';
import type { RunId, RunSeries, RunSource } from '../model.ts';
import { statementCache, type Db } from './db.ts';
import { bytes, maybe, num, rowsOf } from './rows.ts';

const seriesRow = rowsOf('run_series', (r) =>
  decodeSeries(num(r.step_s, 'step_s'), bytes(r.data, 'data')),
);

/** Fixed-point scale of each stored track: speed in cm/s, step rate and heart rate in tenths. */
const SCALES = [100, 10, 10] as const;
/** The stored value for "no sample in this slot". */
const NONE = 0xffff;

/**
 * A series as one blob: three tracks (speed, step rate, heart rate) of little-endian uint16
 * fixed-point values, 6 bytes a slot (an hour at 10 s: 2.2 kB), {@link NONE} for a gap.
 */
export function encodeSeries(s: RunSeries): Buffer {
  const n = s.speedMps.length;
  const buf = Buffer.alloc(n * 6);
  const tracks = [s.speedMps, s.stepRateSpm, s.heartRateBpm];
  for (const [k, track] of tracks.entries()) {
    const scale = SCALES[k] ?? 1;
    const base = k * n * 2;
    for (let i = 0; i < n; i++) {
      const v = track[i] ?? Number.NaN;
      const q = Number.isFinite(v) ? Math.min(NONE - 1, Math.max(0, Math.round(v * scale))) : NONE;
      buf.writeUInt16LE(q, base + i * 2);
    }
  }
  return buf;
}

/** The series a blob of {@link encodeSeries} holds. */
export function decodeSeries(stepS: number, blob: Uint8Array): RunSeries {
  const n = Math.floor(blob.length / 6);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const tracks = [new Float32Array(n), new Float32Array(n), new Float32Array(n)] as const;
  for (const [k, track] of tracks.entries()) {
    const scale = SCALES[k] ?? 1;
    const base = k * n * 2;
    for (let i = 0; i < n; i++) {
      const q = view.getUint16(base + i * 2, true);
      track[i] = q === NONE ? Number.NaN : q / scale;
    }
  }
  return { stepS, speedMps: tracks[0], stepRateSpm: tracks[1], heartRateBpm: tracks[2] };
}

/** Per-run series (the only SQL for the run_series table). */
export class SeriesTable {
  /** The statement for some SQL, prepared once per table (one put per run imported). */
  readonly #prep: (sql: string) => Statement;
  constructor(db: Db) {
    this.#prep = statementCache(db);
  }

  /** Stores a run's series, replacing the one it had; `from` is the record it was read from. */
  put(runId: RunId, from: RunSource, series: RunSeries): void {
    this.#prep(
      `INSERT OR REPLACE INTO run_series (run_id, source, source_id, step_s, slots, data)
         VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(
      runId,
      from.source,
      from.sourceId,
      series.stepS,
      series.speedMps.length,
      encodeSeries(series),
    );
  }

  has(runId: RunId): boolean {
    return this.#prep('SELECT 1 FROM run_series WHERE run_id = ?').get(runId) !== undefined;
  }

  get(runId: RunId): RunSeries | null {
    return maybe(
      seriesRow,
      this.#prep('SELECT step_s, data FROM run_series WHERE run_id = ?').get(runId),
    );
  }
}

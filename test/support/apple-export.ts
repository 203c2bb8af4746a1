/**
 * Writes Apple Health exports the way the Health app does (export.xml: `<HealthData>`, Records
 * first, then Workouts; dates written with the exporting phone's offset on the export day), for
 * tests and the benchmark: small ones from a description, and large ones streamed to disk.
 */
import fs from 'node:fs';
import { once } from 'node:events';

/** `2025-09-16 16:14:50 +0100`: an instant as an export writes it, with the export day's offset. */
export function appleDate(unixS: number, offsetMin: number): string {
  const iso = new Date((Math.round(unixS) + offsetMin * 60) * 1000).toISOString();
  const sign = offsetMin < 0 ? '-' : '+';
  const a = Math.abs(offsetMin);
  const off = `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}${String(a % 60).padStart(2, '0')}`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} ${off}`;
}

export const WATCH_DEVICE =
  '&lt;&lt;HKDevice: 0x28201e580&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:9.1, creation date:2024-01-02 10:00:00 +0000&gt;';
export const PHONE_DEVICE =
  '&lt;&lt;HKDevice: 0x28201e9a0&gt;, name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone12,1, software:16.1&gt;';

/** One sample Record. `device`: the escaped `device` attribute (watch or phone), or none. */
export interface GenRecord {
  type: string;
  startS: number;
  endS: number;
  value: number;
  unit: string;
  sourceName: string;
  device?: string;
}

/** One Workout. Statistics are written only when given; `totals` writes the older attributes. */
export interface GenWorkout {
  type?: string;
  startS: number;
  endS: number;
  /** Written `duration` (min); default: elapsed. */
  durationMin?: number;
  distanceKm?: number;
  /** Older exports: distance as `totalDistance` attributes, no WorkoutStatistics. */
  totals?: boolean;
  steps?: number;
  heartRate?: number;
  strideM?: number;
  timeZone?: string;
  indoor?: boolean;
  events?: { type: string; atS: number }[];
  routes?: string[];
  sourceName?: string;
  device?: string;
}

export function recordXml(r: GenRecord, offsetMin: number): string {
  const dev = r.device ? ` device="${r.device}"` : '';
  const end = appleDate(r.endS, offsetMin);
  return (
    ` <Record type="${r.type}" sourceName="${r.sourceName}" sourceVersion="9.1"${dev} unit="${r.unit}" ` +
    `creationDate="${end}" startDate="${appleDate(r.startS, offsetMin)}" endDate="${end}" value="${r.value}"/>\n`
  );
}

const stat = (type: string, w: GenWorkout, off: number, body: string) =>
  `  <WorkoutStatistics type="HKQuantityTypeIdentifier${type}" startDate="${appleDate(w.startS, off)}" endDate="${appleDate(w.endS, off)}" ${body}/>\n`;

export function workoutXml(w: GenWorkout, offsetMin: number): string {
  const off = offsetMin;
  const duration = w.durationMin ?? (w.endS - w.startS) / 60;
  const totals =
    w.totals && w.distanceKm !== undefined
      ? ` totalDistance="${w.distanceKm}" totalDistanceUnit="km"`
      : '';
  const parts: string[] = [
    ` <Workout workoutActivityType="${w.type ?? 'HKWorkoutActivityTypeRunning'}" duration="${duration}" durationUnit="min"${totals} ` +
      `sourceName="${w.sourceName ?? 'Apple Watch'}" sourceVersion="9.1" device="${w.device ?? WATCH_DEVICE}" ` +
      `creationDate="${appleDate(w.endS, off)}" startDate="${appleDate(w.startS, off)}" endDate="${appleDate(w.endS, off)}">\n`,
  ];
  if (w.indoor !== undefined) {
    parts.push(`  <MetadataEntry key="HKIndoorWorkout" value="${w.indoor ? 1 : 0}"/>\n`);
  }
  if (w.timeZone) parts.push(`  <MetadataEntry key="HKTimeZone" value="${w.timeZone}"/>\n`);
  for (const e of w.events ?? []) {
    parts.push(`  <WorkoutEvent type="${e.type}" date="${appleDate(e.atS, off)}"/>\n`);
  }
  if (!w.totals && w.distanceKm !== undefined) {
    parts.push(stat('DistanceWalkingRunning', w, off, `sum="${w.distanceKm}" unit="km"`));
  }
  if (w.steps !== undefined) parts.push(stat('StepCount', w, off, `sum="${w.steps}" unit="count"`));
  if (w.heartRate !== undefined) {
    parts.push(stat('HeartRate', w, off, `average="${w.heartRate}" unit="count/min"`));
  }
  if (w.strideM !== undefined) {
    parts.push(stat('RunningStrideLength', w, off, `average="${w.strideM}" unit="m"`));
  }
  for (const r of w.routes ?? []) {
    parts.push(
      `  <WorkoutRoute sourceName="Apple Watch" sourceVersion="9.1" startDate="${appleDate(w.startS, off)}" endDate="${appleDate(w.endS, off)}">\n` +
        `   <FileReference path="/workout-routes/${r}"/>\n  </WorkoutRoute>\n`,
    );
  }
  parts.push(' </Workout>\n');
  return parts.join('');
}

/** The file's head: declaration, an optional internal DTD, `<HealthData>`, ExportDate and Me. */
export function exportHead(offsetMin: number, doctype = ''): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n${doctype}<HealthData locale="en_GB">\n` +
    ` <ExportDate value="${appleDate(Date.UTC(2026, 0, 20, 21) / 1000, offsetMin)}"/>\n` +
    ` <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-02-02" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>\n`
  );
}

/** A whole small export.xml (Records, then Workouts, as the Health app orders them). */
export function exportXml(opts: {
  offsetMin?: number;
  doctype?: string;
  records?: GenRecord[];
  workouts: GenWorkout[];
}): string {
  const off = opts.offsetMin ?? 60;
  return (
    exportHead(off, opts.doctype) +
    (opts.records ?? []).map((r) => recordXml(r, off)).join('') +
    opts.workouts.map((w) => workoutXml(w, off)).join('') +
    '</HealthData>\n'
  );
}

/** A route GPX file as Apple writes it: UTC times, a `speed` extension, no HR or cadence. */
export function routeGpx(
  points: { tS: number; lat: number; lon: number; speed: number }[],
): string {
  const pts = points
    .map(
      (p) =>
        `<trkpt lon="${p.lon.toFixed(6)}" lat="${p.lat.toFixed(6)}"><ele>30</ele><time>${new Date(p.tS * 1000).toISOString().replace('.000', '')}</time>` +
        `<extensions><speed>${p.speed}</speed><course>90</course><hAcc>2</hAcc><vAcc>2</vAcc></extensions></trkpt>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="Apple Health Export" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>\n${pts}\n</trkseg></trk></gpx>\n`;
}

/** A 1 Hz route due east at `speed` m/s from `startS` for `seconds` (near the equator: 1e-5° ≈ 1.11 m). */
export function straightRoute(startS: number, seconds: number, speed: number) {
  const degPerM = 1 / 111_195;
  return Array.from({ length: seconds + 1 }, (_, i) => ({
    tS: startS + i,
    lat: 0.5,
    lon: 0.1 + i * speed * degPerM,
    speed,
  }));
}

/** What a generated large export holds, for the caller to check the import against. */
export interface BigExport {
  bytes: number;
  runs: number;
  days: number;
  /** The watch's step rate during every run, steps/min (the phone's is lower and must not be added). */
  watchStepRateSpm: number;
}

const DAY_S = 86_400;
const T0 = Date.UTC(2020, 0, 1) / 1000;
const RUN_EVERY_DAYS = 3;
const RUN_S = 45 * 60;
const WATCH_SPM = 164;

const runStart = (day: number) => T0 + day * DAY_S + 7 * 3600;
const isRunDay = (day: number) => day % RUN_EVERY_DAYS === 0;

/** The Records of one day of one type, as text (watch energy each minute, HR, phone and watch steps). */
function dayRecords(kind: number, day: number, off: number): string {
  const d0 = T0 + day * DAY_S;
  const run = isRunDay(day) ? runStart(day) : null;
  const out: string[] = [];
  const rec = (r: GenRecord) => out.push(recordXml(r, off));
  if (kind === 0) {
    // Heart rate: every 5 min, every 5 s during a run.
    for (let t = d0; t < d0 + DAY_S; t += 300) {
      if (run !== null && t >= run && t < run + RUN_S) continue;
      rec({
        type: 'HKQuantityTypeIdentifierHeartRate',
        startS: t,
        endS: t,
        value: 62,
        unit: 'count/min',
        sourceName: 'Apple Watch',
        device: WATCH_DEVICE,
      });
    }
    if (run !== null) {
      for (let t = run; t < run + RUN_S; t += 5) {
        rec({
          type: 'HKQuantityTypeIdentifierHeartRate',
          startS: t,
          endS: t,
          value: 150,
          unit: 'count/min',
          sourceName: 'Apple Watch',
          device: WATCH_DEVICE,
        });
      }
    }
  } else if (kind === 1) {
    // Step counts: the phone every 10 min all day (a lower count), the watch each minute of a run.
    for (let t = d0; t < d0 + DAY_S; t += 600) {
      rec({
        type: 'HKQuantityTypeIdentifierStepCount',
        startS: t,
        endS: t + 600,
        value: 900,
        unit: 'count',
        sourceName: 'iPhone',
        device: PHONE_DEVICE,
      });
    }
    if (run !== null) {
      for (let t = run; t < run + RUN_S; t += 60) {
        rec({
          type: 'HKQuantityTypeIdentifierStepCount',
          startS: t,
          endS: t + 60,
          value: WATCH_SPM,
          unit: 'count',
          sourceName: 'Apple Watch',
          device: WATCH_DEVICE,
        });
      }
    }
  } else {
    // Energy: the bulk of a real export, and nothing a run needs.
    for (let t = d0; t < d0 + DAY_S; t += 60) {
      rec({
        type: 'HKQuantityTypeIdentifierActiveEnergyBurned',
        startS: t,
        endS: t + 60,
        value: 1.2,
        unit: 'kcal',
        sourceName: 'Apple Watch',
        device: WATCH_DEVICE,
      });
    }
  }
  return out.join('');
}

/**
 * Streams an export.xml of about `targetBytes` to `file`: years of heart rate, step counts (phone
 * all day, watch during runs) and energy Records, sorted by type as the Health app sorts them,
 * then a 45-minute watch run every third day (no StepCount statistic: the step rate must come
 * from the watch's Records alone). Writes with back-pressure: memory stays small.
 */
export async function writeBigExport(file: string, targetBytes: number): Promise<BigExport> {
  const off = 60;
  // Bytes of a run day and of two rest days, averaged: the number of days that makes the target.
  let sample = 0;
  for (const k of [0, 1, 2])
    for (let d = 0; d < RUN_EVERY_DAYS; d++) sample += Buffer.byteLength(dayRecords(k, d, off));
  const perDay = sample / RUN_EVERY_DAYS;
  const days = Math.max(RUN_EVERY_DAYS, Math.round(targetBytes / perDay));
  const out = fs.createWriteStream(file);
  let bytes = 0;
  const write = async (s: string) => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(exportHead(off));
  for (const kind of [0, 1, 2])
    for (let day = 0; day < days; day++) await write(dayRecords(kind, day, off));
  let runs = 0;
  for (let day = 0; day < days; day++) {
    if (!isRunDay(day)) continue;
    const startS = runStart(day);
    runs++;
    await write(
      workoutXml(
        {
          startS,
          endS: startS + RUN_S,
          distanceKm: 7.5,
          heartRate: 150,
          timeZone: 'Europe/Paris',
          indoor: false,
        },
        off,
      ),
    );
  }
  await write('</HealthData>\n');
  out.end();
  await once(out, 'finish');
  return { bytes, runs, days, watchStepRateSpm: WATCH_SPM };
}

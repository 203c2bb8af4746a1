import { Encoder, Profile } from '@garmin/fitsdk';

/** One session of a synthetic activity. */
export interface SynthSession {
  sport?: string;
  subSport?: string;
  /** Seconds after the file's start. */
  offsetS?: number;
  durationS: number;
  /** Constant speed, or a function of seconds since the session start (m/s). */
  speedMps: number | ((t: number) => number);
  /** Steps/min (both feet), or a function of seconds since the session start; null: no cadence. */
  stepRateSpm?: number | ((t: number) => number) | null;
  /** Pauses (timer stopped) within the session: [start s, length s]. */
  pauses?: [number, number][];
  /** Write step_length in records and session (mm), as newer watches do. */
  stepLength?: boolean;
  gps?: boolean;
}

export interface SynthRun {
  /** Start, UTC. */
  start: Date;
  /** The watch's local UTC offset in minutes (activity.local_timestamp); null: none written. */
  localOffsetMin?: number | null;
  sessions: SynthSession[];
  /** Seconds between records (1 = 1 Hz). */
  recordEveryS?: number;
  manufacturer?: string;
  product?: number;
  fileType?: string;
}

type Fields = Record<string, unknown>;
const mesgNum = (name: string): number => {
  const n = Profile.MesgNum[name];
  if (n === undefined) throw new Error(`unknown FIT message ${name}`);
  return n;
};
const FIT_EPOCH_MS = Date.UTC(1989, 11, 31);
const fitSeconds = (d: Date) => Math.round((d.getTime() - FIT_EPOCH_MS) / 1000);
const at = (f: number | ((t: number) => number), t: number) => (typeof f === 'number' ? f : f(t));

/**
 * Builds a real FIT activity with Garmin's official `Encoder`: file_id, timer events, records,
 * one lap and one session per sport, and the activity message (with local_timestamp when an
 * offset is given). Records carry one leg's strides/min in `cadence` + `fractional_cadence`, as
 * devices write them.
 */
export function synthFit(run: SynthRun): Uint8Array {
  const enc = new Encoder();
  const write = (name: string, fields: Fields) => enc.onMesg(mesgNum(name), fields);
  const every = run.recordEveryS ?? 1;
  const start = run.start;
  write('FILE_ID', {
    type: run.fileType ?? 'activity',
    manufacturer: run.manufacturer ?? 'garmin',
    product: run.product ?? 1765,
    timeCreated: start,
    serialNumber: 1234,
  });
  write('EVENT', { timestamp: start, event: 'timer', eventType: 'start' });
  let lastTs = start;
  let totalTimer = 0;
  for (const s of run.sessions) {
    // Watches write the sport near the start, so a file cut short still names it.
    write('SPORT', { sport: s.sport ?? 'running', subSport: s.subSport ?? 'generic' });
    const sStart = new Date(start.getTime() + (s.offsetS ?? 0) * 1000);
    let distance = 0;
    let timer = 0;
    let strides = 0;
    let stridesTime = 0;
    const inPause = (t: number) => (s.pauses ?? []).some(([p, len]) => t > p && t <= p + len);
    for (let t = 0; t <= s.durationS; t += every) {
      const ts = new Date(sStart.getTime() + t * 1000);
      const paused = inPause(t);
      const speed = paused ? 0 : at(s.speedMps, t);
      if (t > 0 && !paused) {
        distance += speed * every;
        timer += every;
      }
      for (const [p, len] of s.pauses ?? []) {
        if (t === p) write('EVENT', { timestamp: ts, event: 'timer', eventType: 'stopAll' });
        if (t === p + len) write('EVENT', { timestamp: ts, event: 'timer', eventType: 'start' });
      }
      if (paused) continue;
      const rec: Fields = { timestamp: ts, distance, speed };
      const spm = s.stepRateSpm == null ? null : at(s.stepRateSpm, t);
      if (spm !== null) {
        const stride = spm / 2;
        rec.cadence = Math.floor(stride);
        rec.fractionalCadence = Math.round((stride - Math.floor(stride)) * 128) / 128;
        if (t > 0) {
          strides += stride * every;
          stridesTime += every;
        }
        if (s.stepLength && spm > 0) rec.stepLength = Math.round((speed / (spm / 60)) * 1000);
      }
      if (s.gps !== false) {
        rec.positionLat = Math.round(((52.5 + distance / 111_000) * 2 ** 31) / 180);
        rec.positionLong = Math.round((13.4 * 2 ** 31) / 180);
      }
      rec.heartRate = 140;
      write('RECORD', rec);
    }
    const end = new Date(sStart.getTime() + s.durationS * 1000);
    const avgStride = stridesTime > 0 ? strides / stridesTime : null;
    const common = {
      timestamp: end,
      startTime: sStart,
      totalElapsedTime: s.durationS,
      totalTimerTime: timer,
      totalDistance: distance,
      avgSpeed: timer > 0 ? distance / timer : 0,
      sport: s.sport ?? 'running',
      subSport: s.subSport ?? 'generic',
      avgHeartRate: 140,
      ...(avgStride === null
        ? {}
        : {
            avgCadence: Math.floor(avgStride),
            avgFractionalCadence: Math.round((avgStride - Math.floor(avgStride)) * 128) / 128,
          }),
      ...(s.stepLength && avgStride
        ? { avgStepLength: Math.round((distance / timer / ((avgStride * 2) / 60)) * 10000) / 10 }
        : {}),
    };
    write('LAP', { ...common, event: 'lap', eventType: 'stop' });
    write('SESSION', {
      ...common,
      event: 'session',
      eventType: 'stop',
      firstLapIndex: 0,
      numLaps: 1,
    });
    lastTs = end;
    totalTimer += timer;
  }
  write('EVENT', { timestamp: lastTs, event: 'timer', eventType: 'stopAll' });
  const activity: Fields = {
    timestamp: lastTs,
    totalTimerTime: totalTimer,
    numSessions: run.sessions.length,
    type: 'manual',
    event: 'activity',
    eventType: 'stop',
  };
  if (run.localOffsetMin != null) {
    activity.localTimestamp = fitSeconds(lastTs) + run.localOffsetMin * 60;
  }
  write('ACTIVITY', activity);
  return enc.close();
}

/** A plain run: `km` kilometres at `speedMps`, `spm` steps/min, starting at `start`. */
export function simpleRun(
  start: Date,
  opts: { km?: number; speedMps?: number; spm?: number; offsetMin?: number | null } = {},
): Uint8Array {
  const speed = opts.speedMps ?? 3;
  return synthFit({
    start,
    localOffsetMin: opts.offsetMin === undefined ? 60 : opts.offsetMin,
    sessions: [
      {
        durationS: Math.round(((opts.km ?? 5) * 1000) / speed),
        speedMps: speed,
        stepRateSpm: opts.spm ?? 166,
      },
    ],
  });
}

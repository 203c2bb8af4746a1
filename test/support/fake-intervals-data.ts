/**
 * Activities for the fake intervals.icu, shaped as the published OpenAPI `Activity` and
 * `Hidden` schemas (`../shared/fixtures/intervals/openapi-activity-schemas.json`): string ids
 * (`i…` for native activities, Strava's number for a stub), `start_date_local` without an
 * offset, `start_date` the UTC instant ending in `Z`, metres, seconds, m/s, integer bpm. The
 * original file of each run is a real FIT file written with Garmin's SDK Encoder.
 */
import { gzipSync } from 'node:zlib';
import { synthFit } from './synth-fit.ts';

export type Json = Record<string, unknown>;

/** What one fake activity is. */
export interface FakeActivitySpec {
  /** `i…`, or digits for a Strava stub. */
  id: string;
  /** UTC start. */
  start: Date;
  /** The local offset of the activity, minutes. */
  offsetMin: number;
  /** `Run`, `TrailRun`, `VirtualRun`, `Ride`, `Walk`, … (ignored for a stub). */
  type: string;
  distanceM: number;
  speedMps: number;
  /** Steps/min, both feet. */
  stepRateSpm: number;
  /** `GARMIN_CONNECT`, `UPLOAD`, `MANUAL` (no file), `STRAVA` (a stub), … */
  source: string;
  /** How /file answers: gzipped FIT, plain FIT, or 404. */
  file: 'fit-gz' | 'fit' | 'none';
  name?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2025-12-03T15:43:42`: the wall-clock time at `offsetMin`, no offset written. */
export function localText(d: Date, offsetMin: number): string {
  const l = new Date(d.getTime() + offsetMin * 60_000);
  return (
    `${l.getUTCFullYear()}-${pad(l.getUTCMonth() + 1)}-${pad(l.getUTCDate())}` +
    `T${pad(l.getUTCHours())}:${pad(l.getUTCMinutes())}:${pad(l.getUTCSeconds())}`
  );
}

const utcText = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

const STUB_NOTE = 'STRAVA activities are not available via the API';

/** The list/detail JSON of an activity, every key of the spec kneecheck may ask for and more. */
export function activityJson(s: FakeActivitySpec, athleteId: string): Json {
  const startLocal = localText(s.start, s.offsetMin);
  if (s.source === 'STRAVA') {
    return {
      id: s.id,
      icu_athlete_id: athleteId,
      start_date_local: startLocal,
      source: 'STRAVA',
      _note: STUB_NOTE,
    };
  }
  const moving = Math.round(s.distanceM / s.speedMps);
  const isRun = /Run$/.test(s.type);
  return {
    id: s.id,
    start_date_local: startLocal,
    type: s.type,
    icu_ignore_time: false,
    icu_training_load: Math.round(moving / 40),
    icu_atl: 31.4,
    icu_ctl: 28.9,
    icu_recording_time: moving + 30,
    elapsed_time: moving + 30,
    name: s.name ?? `${s.type} ${startLocal.slice(0, 10)}`,
    description: null,
    start_date: utcText(s.start),
    distance: s.distanceM,
    icu_distance: s.distanceM,
    moving_time: moving,
    coasting_time: 0,
    total_elevation_gain: 41.2,
    total_elevation_loss: 40.8,
    timezone: s.offsetMin === 60 ? 'Europe/Berlin' : s.offsetMin === 120 ? 'Europe/Berlin' : 'UTC',
    trainer: s.type === 'VirtualRun',
    sub_type: 'NONE',
    commute: false,
    race: false,
    max_speed: s.speedMps * 1.3,
    average_speed: s.speedMps,
    has_heartrate: true,
    max_heartrate: 171,
    average_heartrate: 148,
    // One leg's strides per minute for runs, as FIT stores it.
    average_cadence: isRun ? s.stepRateSpm / 2 : 82,
    calories: Math.round(s.distanceM / 14),
    device_name: s.source === 'MANUAL' ? null : 'Garmin Forerunner 255',
    external_id: s.file === 'none' ? null : `${s.id}.fit`,
    file_type: s.file === 'none' ? null : 'fit',
    icu_athlete_id: athleteId,
    created: utcText(new Date(s.start.getTime() + moving * 1000 + 600_000)),
    icu_sync_date: utcText(new Date(s.start.getTime() + moving * 1000 + 600_000)),
    analyzed: utcText(new Date(s.start.getTime() + moving * 1000 + 660_000)),
    strava_id: null,
    source: s.source,
    oauth_client_id: null,
    average_stride: isRun ? s.speedMps / (s.stepRateSpm / 60) : null,
    tags: [],
  };
}

/** `fields=` as the spec says: only those keys, and null values left out. */
export function withFields(a: Json, fields: string[] | null): Json {
  if (fields === null) return a;
  const out: Json = {};
  for (const f of fields) if (a[f] !== null && a[f] !== undefined) out[f] = a[f];
  return out;
}

/** The original file of a run: a FIT file of the same start, distance and step rate. */
export function fileBytes(s: FakeActivitySpec): Uint8Array {
  const durationS = Math.round(s.distanceM / s.speedMps);
  const sport = /Run$/.test(s.type) ? 'running' : s.type === 'Ride' ? 'cycling' : 'walking';
  const fit = synthFit({
    start: s.start,
    localOffsetMin: s.offsetMin,
    recordEveryS: 10,
    sessions: [
      {
        sport,
        ...(s.type === 'TrailRun' ? { subSport: 'trail' } : {}),
        durationS,
        speedMps: s.speedMps,
        stepRateSpm: sport === 'running' ? s.stepRateSpm : null,
      },
    ],
  });
  return s.file === 'fit-gz' ? gzipSync(fit) : fit;
}

const DAY_MS = 86_400_000;

/**
 * `n` activities, one a day, the newest starting at `newest`: mostly runs (road, trail, virtual),
 * with rides, walks, Strava stubs and manual runs among them; some files gzipped, some plain.
 */
export function yearOfActivities(n: number, newest: Date): FakeActivitySpec[] {
  const out: FakeActivitySpec[] = [];
  for (let i = 0; i < n; i++) {
    const start = new Date(
      newest.getTime() - (n - 1 - i) * DAY_MS + ((i * 37) % 120) * 60_000 - 60 * 60_000,
    );
    const type =
      i % 7 === 3
        ? 'Ride'
        : i % 11 === 5
          ? 'Walk'
          : i % 13 === 4
            ? 'TrailRun'
            : i % 17 === 2
              ? 'VirtualRun'
              : 'Run';
    const stub = i % 10 === 6;
    const manual = !stub && i % 19 === 8;
    out.push({
      id: stub ? String(15_000_000_000 + i * 997) : `i${80_000_000 + i * 131}`,
      start,
      offsetMin: 60,
      type,
      distanceM: type === 'Ride' ? 25_000 + (i % 5) * 1000 : 3000 + ((i * 53) % 40) * 100,
      speedMps: type === 'Ride' ? 7 : type === 'Walk' ? 1.5 : 2.6 + (i % 6) * 0.1,
      stepRateSpm: 160 + (i % 9),
      source: stub ? 'STRAVA' : manual ? 'MANUAL' : i % 3 === 0 ? 'UPLOAD' : 'GARMIN_CONNECT',
      file: stub || manual ? 'none' : i % 2 === 0 ? 'fit-gz' : 'fit',
    });
  }
  return out;
}

/** Running activities of `specs` that are not stubs: what a sync must import. */
export const runsOf = (specs: FakeActivitySpec[]): FakeActivitySpec[] =>
  specs.filter((s) => s.source !== 'STRAVA' && /Run$/.test(s.type));

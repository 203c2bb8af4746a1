/**
 * The payload shapes of the fake Strava (fake-strava.ts): error bodies, the athlete, generated
 * activities (DetailedActivity, SummaryActivity) and their streams, written out from
 * `../shared/fixtures/strava/README.md` (key order, absent optional keys, `start_date_local`
 * ending in `Z`).
 */
import { randomBytes } from 'node:crypto';
import { IANAZone } from 'luxon';

export type Json = Record<string, unknown>;

const ZONE = 'Europe/Berlin';

export const ERROR_401 = {
  message: 'Authorization Error',
  errors: [{ resource: 'Athlete', field: 'access_token', code: 'invalid' }],
};
export const ERROR_404 = {
  message: 'Record Not Found',
  errors: [{ resource: 'Activity', field: 'id', code: 'invalid' }],
};
export const ERROR_429 = {
  message: 'Rate Limit Exceeded',
  errors: [{ resource: 'Application', field: 'rate limit', code: 'exceeded' }],
};
export const OAUTH_400 = {
  invalid_code: {
    message: 'Bad Request',
    errors: [{ resource: 'RequestToken', field: 'code', code: 'invalid' }],
  },
  invalid_client: {
    message: 'Bad Request',
    errors: [{ resource: 'Application', field: 'client_id', code: 'invalid' }],
  },
  invalid_refresh_token: {
    message: 'Bad Request',
    errors: [{ resource: 'RefreshToken', field: 'refresh_token', code: 'invalid' }],
  },
};
/** A guess: the README notes the real 5xx body is not recorded. */
export const ERROR_500 = { message: 'Internal Server Error', errors: [] };

export const hex = (n: number) => randomBytes(n).toString('hex');
const r1 = (x: number) => Math.round(x * 10) / 10;

/** SummaryAthlete (resource_state 2) as it comes with the token exchange. */
export function summaryAthlete(id: number): Json {
  return {
    id,
    username: 'sam_runs',
    resource_state: 2,
    firstname: 'Sam',
    lastname: 'Beginner',
    bio: '',
    city: 'Berlin',
    state: 'Berlin',
    country: 'Germany',
    sex: 'F',
    premium: false,
    summit: false,
    created_at: '2025-01-06T18:22:41Z',
    updated_at: '2025-10-20T06:10:12Z',
    badge_type_id: 0,
    weight: 64.0,
    profile_medium: 'https://example.invalid/pictures/athletes/medium.jpg',
    profile: 'https://example.invalid/pictures/athletes/large.jpg',
    friend: null,
    follower: null,
  };
}

/** What a generated activity is. */
export interface ActivitySpec {
  sportType: 'Run' | 'TrailRun' | 'VirtualRun' | 'Ride' | 'Walk';
  start: Date;
  distanceM: number;
  speedMps: number;
  /** One leg's strides/min; null: the key is absent. */
  cadence: number | null;
  heartRate: number | null;
  trainer?: boolean;
  manual?: boolean;
  name?: string;
  private?: boolean;
}

/** The generated mix, by index (0 = oldest): runs with every variant, rides and walks. */
export function specFor(i: number, start: Date): ActivitySpec {
  const base = {
    start,
    distanceM: 3000 + ((i * 733) % 7000),
    speedMps: 2.5 + (i % 8) * 0.1,
    cadence: 76 + (i % 9),
    heartRate: 140 + (i % 20),
  };
  if (i % 10 === 3)
    return {
      ...base,
      sportType: 'Ride',
      distanceM: 12000 + i,
      speedMps: 5.2,
      cadence: 82.5,
      heartRate: null,
    };
  if (i % 10 === 7) return { ...base, sportType: 'Walk', speedMps: 1.3, cadence: 55 };
  if (i % 17 === 5)
    return { ...base, sportType: 'Run', manual: true, cadence: null, heartRate: null };
  if (i % 13 === 4) return { ...base, sportType: 'Run', trainer: true };
  if (i % 19 === 6) return { ...base, sportType: 'TrailRun' };
  if (i % 23 === 8) return { ...base, sportType: 'VirtualRun' };
  if (i % 11 === 9) return { ...base, sportType: 'Run', cadence: null };
  return { ...base, sportType: 'Run' };
}

const isoZ = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A DetailedActivity (resource_state 3) in the real key order; the list item is derived from it. */
export function activityDetail(id: number, athleteId: number, s: ActivitySpec): Json {
  const startMs = s.start.getTime();
  const offsetS = IANAZone.create(ZONE).offset(startMs) * 60;
  const movingTime = Math.round(s.distanceM / s.speedMps);
  const elapsed = movingTime + (s.manual ? 0 : 60);
  const isRun = s.sportType !== 'Ride' && s.sportType !== 'Walk';
  const indoor = s.trainer === true || s.sportType === 'VirtualRun' || s.manual === true;
  const a: Json = {
    resource_state: 3,
    athlete: { id: athleteId, resource_state: 1 },
    name: s.name ?? (isRun ? 'Morning Run' : `Morning ${s.sportType}`),
    distance: r1(s.distanceM),
    moving_time: movingTime,
    elapsed_time: elapsed,
    total_elevation_gain: indoor ? 0 : 12.1,
    type: s.sportType,
    sport_type: s.sportType,
    workout_type: isRun ? 0 : null,
    id,
    start_date: isoZ(startMs),
    // Local wall-clock time written with a Z, as Strava does.
    start_date_local: isoZ(startMs + offsetS * 1000),
    timezone: '(GMT+01:00) Europe/Berlin',
    utc_offset: offsetS,
    location_city: null,
    location_state: null,
    location_country: null,
    achievement_count: 0,
    kudos_count: 2,
    comment_count: 0,
    athlete_count: 1,
    photo_count: 0,
    map: {
      id: `a${id}`,
      polyline: indoor ? '' : 'mfp_I_ofpAoAkAiBmBcBmB',
      resource_state: 3,
      summary_polyline: indoor ? '' : 'mfp_I_ofpAoAkAiBmBcBmB',
    },
    trainer: s.trainer === true,
    commute: false,
    manual: s.manual === true,
    private: s.private === true,
    visibility: s.private ? 'only_me' : 'everyone',
    flagged: false,
    gear_id: isRun ? 'g24681357' : 'b13572468',
    start_latlng: indoor ? [] : [52.520008, 13.404954],
    end_latlng: indoor ? [] : [52.519871, 13.405212],
    average_speed: Math.round(s.speedMps * 1000) / 1000,
    max_speed: s.manual ? 0 : r1(s.speedMps * 1.3),
  };
  if (s.cadence !== null) a.average_cadence = s.cadence;
  if (!indoor) a.average_temp = 14;
  a.has_heartrate = s.heartRate !== null;
  if (s.heartRate !== null) {
    a.average_heartrate = s.heartRate + 0.7;
    a.max_heartrate = s.heartRate + 25.0;
  }
  a.heartrate_opt_out = false;
  a.display_hide_heartrate_option = s.heartRate !== null;
  if (!indoor) {
    a.elev_high = 45.4;
    a.elev_low = 29.6;
  }
  const upload = s.manual ? null : 17_000_000_000 + (id % 1_000_000_000);
  a.upload_id = upload;
  if (upload !== null) a.upload_id_str = String(upload);
  a.external_id = s.manual ? null : `garmin_ping_${id}`;
  a.from_accepted_tag = false;
  a.pr_count = 0;
  a.total_photo_count = 0;
  a.has_kudoed = false;
  if (s.heartRate !== null) a.suffer_score = 38.0;
  // Detail-only keys.
  a.description = null;
  a.calories = Math.round(s.distanceM * 0.068);
  a.perceived_exertion = null;
  a.prefer_perceived_exertion = null;
  a.segment_efforts = [];
  a.splits_metric = [];
  a.laps = [];
  a.gear = isRun
    ? {
        id: 'g24681357',
        primary: true,
        name: 'ASICS GEL-Nimbus 26',
        nickname: null,
        resource_state: 2,
        retired: false,
        distance: 412345,
        converted_distance: 412.3,
      }
    : {
        id: 'b13572468',
        primary: true,
        name: 'Commuter',
        nickname: 'Commuter',
        resource_state: 2,
        retired: false,
        distance: 1234567,
        converted_distance: 1234.6,
      };
  a.photos = { primary: null, count: 0 };
  a.stats_visibility = [{ type: 'heart_rate', visibility: 'everyone' }];
  a.hide_from_home = false;
  if (!s.manual) a.device_name = s.sportType === 'VirtualRun' ? 'Zwift' : 'Garmin Forerunner 55';
  a.embed_token = hex(20);
  a.available_zones = [];
  return a;
}

const DETAIL_ONLY = [
  'description',
  'calories',
  'perceived_exertion',
  'prefer_perceived_exertion',
  'segment_efforts',
  'splits_metric',
  'laps',
  'gear',
  'photos',
  'stats_visibility',
  'hide_from_home',
  'device_name',
  'embed_token',
  'available_zones',
];

/** The SummaryActivity (resource_state 2) of a detail: no detail-only keys, no map polyline. */
export function summaryOf(detail: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(detail)) {
    if (DETAIL_ONLY.includes(k)) continue;
    if (k === 'resource_state') out[k] = 2;
    else if (k === 'map') {
      const m = v as Json;
      out[k] = { id: m.id, summary_polyline: m.summary_polyline, resource_state: 2 };
    } else out[k] = v;
  }
  return out;
}

/** 1 Hz streams of a run at the activity's speed and cadence, with a 60 s stop in the middle. */
export function streamsOf(detail: Json, keys: string[], byType: boolean): unknown {
  const moving = detail.moving_time as number;
  const speed = detail.average_speed as number;
  const cadence = (detail.average_cadence as number | undefined) ?? null;
  const hr = (detail.average_heartrate as number | undefined) ?? null;
  const stopAt = Math.floor(moving / 2);
  const cols: Record<string, unknown[]> = {
    time: [],
    distance: [],
    velocity_smooth: [],
    cadence: [],
    heartrate: [],
    moving: [],
  };
  let d = 0;
  const total = moving + 60;
  for (let t = 0; t <= total; t++) {
    const still = t > stopAt && t <= stopAt + 60;
    const v = still ? 0 : speed * (0.97 + 0.06 * ((t % 7) / 7));
    d += v;
    cols.time?.push(t);
    cols.distance?.push(r1(d));
    cols.velocity_smooth?.push(Math.round(v * 1000) / 1000);
    cols.cadence?.push(still || cadence === null ? 0 : Math.round(cadence + ((t % 5) - 2)));
    cols.heartrate?.push(hr === null ? null : Math.round(hr + ((t % 9) - 4)));
    cols.moving?.push(!still);
  }
  const present = keys.filter(
    (k) =>
      k in cols && !(k === 'cadence' && cadence === null) && !(k === 'heartrate' && hr === null),
  );
  const stream = (k: string) => ({
    data: cols[k],
    series_type: 'distance',
    original_size: total + 1,
    resolution: 'high',
  });
  if (byType) return Object.fromEntries(present.map((k) => [k, stream(k)]));
  return present.map((k) => ({ type: k, ...stream(k) }));
}

/**
 * The slices of Strava API v3 payloads kneecheck reads (shapes from real recorded responses, see
 * `../shared/fixtures/strava/README.md`). Optional keys are absent rather than null when Strava
 * has no value; `device_name` comes only with the detail (`GET /activities/{id}`).
 */

declare const brand: unique symbol;
/** A Strava activity id, kept apart from {@link import('../model.ts').RunId} (DESIGN §9.3). */
export type StravaActivityId = string & { readonly [brand]: 'StravaActivityId' };

export const stravaActivityId = (id: number | string): StravaActivityId =>
  String(id) as StravaActivityId;

/** SummaryActivity (list) or DetailedActivity (detail); only the keys kneecheck uses. */
export interface StravaActivity {
  id: number;
  name?: string;
  /** Metres. */
  distance?: number;
  /** Seconds. */
  moving_time?: number;
  elapsed_time?: number;
  type?: string;
  sport_type?: string;
  /** UTC, e.g. `2025-10-21T05:31:07Z`. */
  start_date: string;
  /** Local wall-clock time, although it ends in `Z`. */
  start_date_local?: string;
  /** `(GMT+01:00) Europe/Berlin`: a fixed label plus the IANA zone. */
  timezone?: string;
  /** Seconds, DST included (a float in real responses). */
  utc_offset?: number;
  trainer?: boolean;
  manual?: boolean;
  private?: boolean;
  visibility?: string;
  gear_id?: string | null;
  /** m/s. */
  average_speed?: number;
  /** For runs: one leg's strides/min (half the step rate). */
  average_cadence?: number;
  has_heartrate?: boolean;
  average_heartrate?: number;
  /** Detail only. */
  device_name?: string;
  athlete?: { id: number };
}

/** One stream of `GET /activities/{id}/streams?key_by_type=true`. */
export interface StravaStream<T> {
  data: T[];
  series_type?: string;
  original_size?: number;
  resolution?: string;
}

/** Streams keyed by type; each is absent when the activity has no such data. */
export interface StravaStreams {
  time?: StravaStream<number>;
  distance?: StravaStream<number>;
  velocity_smooth?: StravaStream<number>;
  /** One leg's strides/min, like `average_cadence`. */
  cadence?: StravaStream<number>;
  heartrate?: StravaStream<number>;
  moving?: StravaStream<boolean>;
}

/** The stream types a form summary needs (everything else would only cost bandwidth). */
export const STREAM_KEYS = [
  'time',
  'distance',
  'velocity_smooth',
  'cadence',
  'heartrate',
  'moving',
] as const;

/** SummaryAthlete as it comes with the token exchange. */
export interface StravaAthlete {
  id: number;
  /** DetailedAthlete only (GET /athlete): the athlete's shoes, whose ids activities name as `gear_id`. */
  shoes?: StravaGear[];
  username?: string | null;
  firstname?: string | null;
  lastname?: string | null;
  city?: string | null;
  country?: string | null;
}

/** SummaryGear: a pair of shoes (or a bike) of the athlete. */
export interface StravaGear {
  id: string;
  name?: string | null;
  primary?: boolean;
  retired?: boolean;
  /** Metres, as Strava counts them. */
  distance?: number;
}

/** POST /oauth/token (authorization_code carries `athlete`, refresh_token does not). */
export interface StravaTokenResponse {
  token_type: string;
  access_token: string;
  refresh_token: string;
  /** Unix seconds. */
  expires_at: number;
  expires_in: number;
  athlete?: StravaAthlete;
}

/** A webhook event (POST to the callback URL), see developers.strava.com/docs/webhooks. */
export interface StravaWebhookEvent {
  object_type: 'activity' | 'athlete';
  object_id: number;
  aspect_type: 'create' | 'update' | 'delete';
  /** `title`, `type`, `private` ("true"/"false"), or for athletes `authorized: "false"`. */
  updates: Record<string, string>;
  owner_id: number;
  subscription_id: number;
  event_time: number;
}

export interface StravaPushSubscription {
  id: number;
  callback_url: string;
  created_at?: string;
  updated_at?: string;
}

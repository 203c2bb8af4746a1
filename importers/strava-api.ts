import { z } from 'zod';

/**
 * The Strava API v3 payloads kneecheck reads, as zod schemas (shapes from real recorded
 * responses, see `../shared/fixtures/strava/README.md`). Every answer and webhook body from
 * Strava is parsed here, at the edge, before anything reads it: a payload that does not fit
 * becomes a {@link Parsed} failure with a message naming the keys, never a crash further in.
 *
 * Optional keys are absent (and sometimes null) when Strava has no value, so each is `nullish`;
 * keys kneecheck does not read are dropped. `device_name` comes only with the detail
 * (`GET /activities/{id}`).
 *
 * Only the Strava modules (`src/strava/`, loaded only when Strava is used) import this file for
 * its values; `importers/strava.ts` imports its types alone, so a FIT import, `--version` or
 * `advice` never loads zod.
 */

/** A parse result: the value, or why the payload is not what Strava documents. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** `distance: expected number, received string; start_date: …` (at most 3 issues). */
function issuesText(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((i) => {
    const at = i.path.length > 0 ? i.path.join('.') : 'body';
    return `${at}: ${i.message}`;
  });
  const more = error.issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** Parses `body` with `schema`; `what` names the payload in the message (`activity 123`). */
export function parseStrava<T>(schema: z.ZodType<T>, body: unknown, what: string): Parsed<T> {
  const r = schema.safeParse(body);
  return r.success
    ? { ok: true, value: r.data }
    : { ok: false, error: `Strava's ${what} is not as expected (${issuesText(r.error)})` };
}

const num = z.number().nullish();
const str = z.string().nullish();
const bool = z.boolean().nullish();

/** SummaryActivity (list) or DetailedActivity (detail); only the keys kneecheck uses. */
export const stravaActivitySchema = z.object({
  id: z.number(),
  name: str,
  /** Metres. */
  distance: num,
  /** Seconds. */
  moving_time: num,
  elapsed_time: num,
  type: str,
  sport_type: str,
  /** UTC, e.g. `2025-10-21T05:31:07Z` (checked for a valid date where it is used). */
  start_date: z.string(),
  /** Local wall-clock time, although it ends in `Z`. */
  start_date_local: str,
  /** `(GMT+01:00) Europe/Berlin`: a fixed label plus the IANA zone. */
  timezone: str,
  /** Seconds, DST included (a float in real responses). */
  utc_offset: num,
  trainer: bool,
  manual: bool,
  private: bool,
  visibility: str,
  gear_id: str,
  /** m/s. */
  average_speed: num,
  /** For runs: one leg's strides/min (half the step rate). */
  average_cadence: num,
  has_heartrate: bool,
  /** Beats/min. */
  average_heartrate: num,
  /** Detail only. */
  device_name: str,
  athlete: z.object({ id: z.number() }).nullish(),
});
export type StravaActivity = z.infer<typeof stravaActivitySchema>;

/** A list item's id (to name it in a message), when it has a usable one. */
export function listedId(item: unknown): string | null {
  if (typeof item !== 'object' || item === null || !('id' in item)) return null;
  const id = item.id;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : null;
}

/** One page of `GET /athlete/activities`: a list; its items are parsed one by one. */
export const activityPageSchema = z.array(z.unknown());

/** One stream of `GET /activities/{id}/streams?key_by_type=true`. */
const stream = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    series_type: str,
    original_size: num,
    resolution: str,
  });

const streamsObjectSchema = z.object({
  /** Seconds from the start. */
  time: stream(z.number()).optional(),
  /** Metres. */
  distance: stream(z.number().nullable()).optional(),
  /** m/s. */
  velocity_smooth: stream(z.number().nullable()).optional(),
  /** One leg's strides/min, like `average_cadence`. */
  cadence: stream(z.number().nullable()).optional(),
  /** Beats/min. */
  heartrate: stream(z.number().nullable()).optional(),
  moving: stream(z.boolean().nullable()).optional(),
});

/** Streams keyed by type, also from the list form `[{type, data}]`; each absent without data. */
export const stravaStreamsSchema = z.preprocess((body) => {
  if (!Array.isArray(body)) return body ?? {};
  const out: Record<string, unknown> = {};
  for (const s of body as unknown[]) {
    if (typeof s === 'object' && s !== null && 'type' in s && typeof s.type === 'string') {
      out[s.type] = s;
    }
  }
  return out;
}, streamsObjectSchema);
export type StravaStreams = z.infer<typeof streamsObjectSchema>;

/** The stream types a form summary needs (everything else would only cost bandwidth). */
export const STREAM_KEYS = [
  'time',
  'distance',
  'velocity_smooth',
  'cadence',
  'heartrate',
  'moving',
] as const;

/** SummaryGear: a pair of shoes (or a bike) of the athlete. */
export const stravaGearSchema = z.object({
  id: z.string(),
  name: str,
  primary: bool,
  retired: bool,
  /** Metres, as Strava counts them. */
  distance: num,
});
export type StravaGear = z.infer<typeof stravaGearSchema>;

/** SummaryAthlete (token exchange) or DetailedAthlete (`GET /athlete`, with `shoes`). */
export const stravaAthleteSchema = z.object({
  id: z.number(),
  /** DetailedAthlete only: the athlete's shoes, whose ids activities name as `gear_id`. */
  shoes: z.array(stravaGearSchema).nullish(),
  username: str,
  firstname: str,
  lastname: str,
  city: str,
  country: str,
});
export type StravaAthlete = z.infer<typeof stravaAthleteSchema>;

/** POST /oauth/token (authorization_code carries `athlete`, refresh_token does not). */
export const stravaTokenResponseSchema = z.object({
  token_type: str,
  access_token: z.string(),
  refresh_token: z.string(),
  /** Unix seconds. */
  expires_at: z.number(),
  /** Seconds. */
  expires_in: num,
  athlete: stravaAthleteSchema.nullish(),
});
export type StravaTokenResponse = z.infer<typeof stravaTokenResponseSchema>;

/**
 * A webhook event (POST to the callback URL), see developers.strava.com/docs/webhooks.
 * `updates` values are kept as strings (`private: "true"`, `authorized: "false"`).
 */
export const stravaWebhookEventSchema = z.object({
  object_type: z.enum(['activity', 'athlete']),
  object_id: z.number(),
  aspect_type: z.enum(['create', 'update', 'delete']),
  /** `title`, `type`, `private` ("true"/"false"), or for athletes `authorized: "false"`. */
  updates: z
    .unknown()
    .transform((u): Record<string, string> =>
      typeof u === 'object' && u !== null
        ? Object.fromEntries(Object.entries(u).map(([k, v]) => [k, String(v)]))
        : {},
    ),
  owner_id: z.number(),
  subscription_id: z.number().catch(0),
  /** Unix seconds. */
  event_time: z.number().catch(0),
});
export type StravaWebhookEvent = z.infer<typeof stravaWebhookEventSchema>;

/** A push subscription, as `GET /push_subscriptions` lists it. */
export const stravaPushSubscriptionSchema = z.object({
  id: z.number(),
  callback_url: z.string(),
  created_at: str,
  updated_at: str,
});
export type StravaPushSubscription = z.infer<typeof stravaPushSubscriptionSchema>;
export const stravaSubscriptionListSchema = z.array(stravaPushSubscriptionSchema);

/** Strava's Fault body on an error answer: `{message, errors: [{resource, field, code}]}`. */
export const stravaFaultSchema = z.object({
  message: z.string(),
  errors: z
    .array(z.object({ resource: str, field: str, code: str }).catch({}))
    .catch([])
    .optional(),
});

/** `POST /push_subscriptions` answers the new subscription's id. */
export const stravaSubscribedSchema = z.object({ id: z.number() });

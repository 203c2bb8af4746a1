import { z } from 'zod';

/**
 * The intervals.icu API v1 payloads kneecheck reads, as zod schemas, from the OpenAPI document
 * intervals.icu publishes (`../shared/fixtures/intervals/`: `Activity`, `Hidden`). Every answer
 * is parsed here, at the edge: a payload that does not fit becomes a failure naming the keys.
 *
 * Ids are strings (`i12345678`; a Strava stub's id is Strava's number as text). Every key but
 * `id` is optional: the list is asked for with `fields=`, which also leaves out null values.
 * Only `src/intervals/` imports this file for its values (a FIT import never loads zod).
 */

/** A parse result: the value, or why the payload is not what intervals.icu documents. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function issuesText(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((i) => {
    const at = i.path.length > 0 ? i.path.join('.') : 'body';
    return `${at}: ${i.message}`;
  });
  const more = error.issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** Parses `body` with `schema`; `what` names the payload in the message (`activity i123`). */
export function parseIntervals<T>(schema: z.ZodType<T>, body: unknown, what: string): Parsed<T> {
  const r = schema.safeParse(body);
  return r.success
    ? { ok: true, value: r.data }
    : { ok: false, error: `intervals.icu's ${what} is not as expected (${issuesText(r.error)})` };
}

const num = z.number().nullish();
const str = z.string().nullish();
const bool = z.boolean().nullish();

/** `Activity` (list item or detail), only the keys kneecheck reads; a stub (`Hidden`) fits too. */
export const intervalsActivitySchema = z.object({
  id: z.union([z.string().min(1), z.number().transform(String)]),
  /** Wall-clock time of the activity, no offset: `2025-12-03T15:43:42`. */
  start_date_local: str,
  /** The UTC instant (`…Z`, or without a zone: then it is UTC). */
  start_date: str,
  /** `Run`, `VirtualRun`, `TrailRun`, `Ride`, … (a free string in the spec). */
  type: str,
  name: str,
  /** Metres. */
  distance: num,
  icu_distance: num,
  /** Seconds. */
  moving_time: num,
  elapsed_time: num,
  /** m/s. */
  average_speed: num,
  /** Unit not stated by the spec (one leg's strides/min or steps/min: decided by plausibility). */
  average_cadence: num,
  /** bpm. */
  average_heartrate: num,
  device_name: str,
  /** The time zone as intervals.icu writes it (the spec gives no format; an IANA name is used). */
  timezone: str,
  /** Indoor (treadmill). */
  trainer: bool,
  /** `fit`, `gpx`, `tcx`… when the activity has an original file; absent for manual ones. */
  file_type: str,
  /** `STRAVA`, `UPLOAD`, `MANUAL`, `GARMIN_CONNECT`, … */
  source: str,
  /** Set on a Strava stub: "STRAVA activities are not available via the API". */
  _note: str,
});
export type IntervalsActivity = z.infer<typeof intervalsActivitySchema>;

/** `GET /api/v1/athlete/{id}`: who the key belongs to. */
export const intervalsAthleteSchema = z.object({
  id: z.union([z.string().min(1), z.number().transform(String)]),
  name: str,
});
export type IntervalsAthlete = z.infer<typeof intervalsAthleteSchema>;

/** The keys asked for with `fields=` on the list (what {@link intervalsActivitySchema} reads). */
export const LIST_FIELDS: readonly string[] = Object.keys(intervalsActivitySchema.shape);

/** A Strava stub: intervals.icu may not hand out activities that came from Strava. */
export const isStravaStub = (a: IntervalsActivity): boolean =>
  typeof a._note === 'string' || (a.source === 'STRAVA' && !a.type);

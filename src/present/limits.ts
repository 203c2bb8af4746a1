/*
 * Limits a person meets in the command line and on the web: the range of every number they can
 * type, and the week counts. Pure: no commander, no I/O.
 */
/**
 * The allowed range of every numeric flag and query parameter (issue 12: inputs are bounded). A
 * value is written as digits only: `1e20`, `1.5`, `-1`, `0x10` and out-of-range numbers are
 * refused with the range, never passed on to SQLite or a timer.
 */
export interface Bound {
  min: number;
  max: number;
  /** What is counted, for messages: "runs", "seconds". */
  unit: string;
}

export const BOUNDS = {
  /** `runs --limit`, `GET /api/runs?limit=`. */
  limit: { min: 1, max: 100_000, unit: 'runs' },
  /** `import --workers`. */
  workers: { min: 1, max: 64, unit: 'decoder threads' },
  /** `strava connect --port` (0: any free port). */
  port: { min: 0, max: 65_535, unit: 'port' },
  /** `strava connect --timeout`: at most a day. */
  timeoutS: { min: 1, max: 86_400, unit: 'seconds' },
  /** `strava sync --max-wait`: at most a day (Strava's daily window). */
  maxWaitMin: { min: 0, max: 1_440, unit: 'minutes' },
  /** `GET /runs?page=`: pages of the run list. */
  page: { min: 1, max: 10_000, unit: 'pages' },
  /** `shoes default|assign <id>`, `POST /runs/:id/shoe`. */
  shoeId: { min: 1, max: 1_000_000, unit: 'shoe ids' },
  /** `shoes replace-at <km>`: where the replace-shoes tip starts. */
  shoeKm: { min: 50, max: 5_000, unit: 'km' },
} as const satisfies Record<string, Bound>;

/** "a whole number of runs from 1 to 100000". */
export const rangeText = (b: Bound): string =>
  b.unit === 'port'
    ? `a port number from ${b.min} to ${b.max}`
    : `a whole number of ${b.unit} from ${b.min} to ${b.max}`;

/** The number written in `text` when it is digits only and within `b`, else null. */
export function wholeNumberIn(text: string, b: Bound): number | null {
  const t = text.trim();
  if (!/^\d{1,16}$/.test(t)) return null;
  const n = Number(t);
  return n >= b.min && n <= b.max ? n : null;
}

/** The message for a refused value: `--limit: expected a whole number of runs from 1 to 100000, got "1e20"`. */
export const boundMessage = (name: string, b: Bound, got: string): string =>
  `${name}: expected ${rangeText(b)}, got ${JSON.stringify(got.slice(0, 40))}`;

/** Weeks a report shows by default (`--weeks`, `?weeks=`). */
export const DEFAULT_WEEKS = 8;
/** Ten years of weeks: more is surely a typo. */
export const MAX_WEEKS = 520;

/** A number of weeks as written (`--weeks`, `?weeks=`): 1 to {@link MAX_WEEKS}, else null. */
export function weekCount(text: string): number | null {
  const n = Number(text);
  return /^\d+$/.test(text) && n >= 1 && n <= MAX_WEEKS ? n : null;
}

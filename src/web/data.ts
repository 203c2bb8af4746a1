import {
  BOUNDS,
  DEFAULT_WEEKS,
  MAX_WEEKS,
  boundMessage,
  weekCount,
  wholeNumberIn,
} from '../present/limits.ts';
import type { Config } from '../config/index.ts';
import { loadHistory, reportOf } from '../history.ts';
import { unixOfLocal } from '../load/zone.ts';
import type { Report, Run } from '../model.ts';
import type { Store } from '../store/index.ts';

/** A query parameter that cannot be used; the message names it and the form expected. */
export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryError';
  }
}

/** `?weeks=`: a whole number from 1 to {@link MAX_WEEKS}; default as the CLI. */
export function parseWeeksQuery(text: string | undefined): number {
  if (text === undefined) return DEFAULT_WEEKS;
  const n = weekCount(text);
  if (n === null) {
    throw new QueryError(
      `weeks: expected a whole number of weeks from 1 to ${MAX_WEEKS}, got ${JSON.stringify(text)}`,
    );
  }
  return n;
}

/** `GET /api/runs?since&limit`: the `runs --json` list (newest first), same filters as the CLI. */
export function runsJson(
  store: Store,
  config: Pick<Config, 'timezone'>,
  query: { since?: string; limit?: string },
): Run[] {
  let sinceUnix: number | undefined;
  if (query.since !== undefined) {
    const since = unixOfLocal(query.since, config.timezone);
    if (since === null) {
      throw new QueryError(
        `since: expected a date such as 2026-11-01, got ${JSON.stringify(query.since)}`,
      );
    }
    sinceUnix = since;
  }
  let limit: number | undefined;
  if (query.limit !== undefined) {
    const n = wholeNumberIn(query.limit, BOUNDS.limit);
    if (n === null) throw new QueryError(boundMessage('limit', BOUNDS.limit, query.limit));
    limit = n;
  }
  return store.runs.list({ sinceUnix, limit });
}

/** `GET /api/report?weeks`. */
export function reportJson(
  store: Store,
  config: Pick<Config, 'timezone'>,
  now: Date,
  weeksText: string | undefined,
): Report {
  const weeks = parseWeeksQuery(weeksText);
  return reportOf(loadHistory(store, now), config, now, weeks);
}

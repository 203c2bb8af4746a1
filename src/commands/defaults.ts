import os from 'node:os';
import path from 'node:path';

/** Defaults shown in `--help`; kept here so help does not load the commands themselves. */
export const DEFAULT_WEEKS = 8;
/** Ten years of weeks: more is surely a typo. */
export const MAX_WEEKS = 520;

/** A number of weeks as written (`--weeks`, `?weeks=`): 1 to {@link MAX_WEEKS}, else null. */
export function weekCount(text: string): number | null {
  const n = Number(text);
  return /^\d+$/.test(text) && n >= 1 && n <= MAX_WEEKS ? n : null;
}
export const defaultDemoDir = (): string => path.join(os.tmpdir(), 'kneecheck-demo');

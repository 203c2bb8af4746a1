import os from 'node:os';
import path from 'node:path';

/** Defaults shown in `--help`; kept here so help does not load the commands themselves. */
export const DEFAULT_WEEKS = 8;
export const defaultDemoDir = (): string => path.join(os.tmpdir(), 'kneecheck-demo');

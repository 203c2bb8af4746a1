import { register as advice } from './advice.ts';
import { register as check } from './check.ts';
import { register as checks } from './checks.ts';
import { register as cleared } from './cleared.ts';
import { register as demo } from './demo.ts';
import { register as exportCmd } from './export.ts';
import { register as importCmd } from './import.ts';
import { register as intervals } from './intervals.ts';
import { register as notify } from './notify.ts';
import { register as pattern } from './pattern.ts';
import { register as report } from './report.ts';
import { register as run } from './run.ts';
import { register as runs } from './runs.ts';
import { register as shoes } from './shoes.ts';
import { register as sources } from './sources.ts';
import { register as start } from './start.ts';
import { register as strava } from './strava.ts';
import type { Register } from './types.ts';

export type { Register, RunWork } from './types.ts';

/**
 * Every top-level command, in the order `kneecheck --help` lists them. Each file declares one
 * command's arguments, options and help, and loads its work (`src/commands/<name>.ts`) only
 * when the command runs.
 */
export const COMMANDS: readonly Register[] = [
  importCmd,
  runs,
  check,
  run,
  checks,
  cleared,
  sources,
  exportCmd,
  shoes,
  report,
  advice,
  pattern,
  start,
  notify,
  demo,
  strava,
  intervals,
];

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** The `kneecheck` command's own file (bin/kneecheck.js), from src/commands or dist/src/commands. */
function kneecheckBin(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../../bin'), path.resolve(here, '../../../bin')];
  const dir = candidates.find((d) => fs.existsSync(path.join(d, 'kneecheck.js'))) ?? candidates[0];
  return path.join(dir ?? here, 'kneecheck.js');
}

const quoteSh = (s: string): string =>
  /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * A crontab line that runs `kneecheck <args>` every 10 minutes and works under cron's bare
 * environment (PATH=/usr/bin:/bin, home folder as working dir): absolute paths to this Node and
 * to bin/kneecheck.js, run from the current folder so that its `.env` is read the same.
 */
export function cronLine(args: string, cwd: string = process.cwd()): string {
  const cmd = [process.execPath, kneecheckBin()].map(quoteSh).join(' ');
  return `*/10 * * * * cd ${quoteSh(cwd)} && ${cmd} ${args}`;
}

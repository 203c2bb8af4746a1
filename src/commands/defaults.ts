import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The real FIT files shared beside the project; absent on a user's fresh clone. */
export const FIXTURES_FIT = path.resolve(REPO, '../shared/fixtures/fit');
export const HAVE_FIXTURES = fs.existsSync(path.join(FIXTURES_FIT, 'manifest.json'));
export const SKIP_FIXTURES_NOTE = HAVE_FIXTURES
  ? ''
  : ` (skipped: ${FIXTURES_FIT} not found; these cases need the shared real-device fixtures)`;
if (!HAVE_FIXTURES) {
  console.warn(
    `kneecheck tests: ${FIXTURES_FIT} not found; real-device fixture cases are skipped.`,
  );
}

/** The evidence and rule table beside the project (absent on a user's fresh clone). */
export const SCIENCE_MD = path.resolve(REPO, '../shared/science.md');

export const CLI = path.join(REPO, 'dist/src/cli.js');
/** The `kneecheck` command as installed (package.json "bin"): `advice`/`report` start from the bundle. */
export const BIN = path.join(REPO, 'bin/kneecheck.js');

const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed when the process exits. */
export function tempDir(prefix = 'kneecheck-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

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

/** The real GPX and TCX files shared beside the project (each folder with its manifest.json). */
export const FIXTURES_GPX = path.resolve(REPO, '../shared/fixtures/gpx');
export const FIXTURES_TCX = path.resolve(REPO, '../shared/fixtures/tcx');
export const HAVE_XML_FIXTURES =
  fs.existsSync(path.join(FIXTURES_GPX, 'manifest.json')) &&
  fs.existsSync(path.join(FIXTURES_TCX, 'manifest.json'));
export const SKIP_XML_FIXTURES_NOTE = HAVE_XML_FIXTURES
  ? ''
  : ` (skipped: ${FIXTURES_GPX} or ${FIXTURES_TCX} not found; these cases need the shared GPX/TCX fixtures)`;

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

/** The real Apple Health exports shared beside the project (manifest.json says what each holds). */
export const FIXTURES_APPLE = path.resolve(REPO, '../shared/fixtures/apple-health');
export const HAVE_APPLE_FIXTURES = fs.existsSync(path.join(FIXTURES_APPLE, 'manifest.json'));
export const SKIP_APPLE_NOTE = HAVE_APPLE_FIXTURES
  ? ''
  : ` (skipped: ${FIXTURES_APPLE} not found; these cases need the shared Apple Health exports)`;

/**
 * The Chromium the browser tests drive (playwright-core brings none): KNEECHECK_CHROMIUM, else the
 * first of the usual install paths that exists; null when there is none (the tests are skipped
 * with {@link NO_CHROMIUM_NOTE}).
 */
export const CHROMIUM: string | null =
  [
    process.env.KNEECHECK_CHROMIUM,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/snap/bin/chromium',
  ].find((p): p is string => typeof p === 'string' && p !== '' && fs.existsSync(p)) ?? null;
/** Why the browser tests are skipped, or '' when Chromium is there. */
export const NO_CHROMIUM_NOTE =
  CHROMIUM === null
    ? ' (skipped: no Chromium found; set KNEECHECK_CHROMIUM or apt-get install chromium)'
    : '';

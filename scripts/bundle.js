// Plain JavaScript, run after `tsc` by `npm run build` (and the test suite's set-up): bundles the
// built CLI (dist/src/cli.js) into dist/quick/, our own modules in a few files (dependencies stay
// in node_modules), the commands split into chunks loaded on demand. Loading ~80 small modules
// costs a fresh process ~7 ms in module resolution alone; `kneecheck advice`, `report` and
// `import`, the commands run most (by cron and scripts), start from this bundle
// (bin/kneecheck.js), every other command from dist/src/ (some find files beside their own
// module). See README "Benchmark".
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = `${root}dist/src/cli.js`;
const outdir = `${root}dist/quick`;

if (!fs.existsSync(entry)) {
  process.stderr.write(`scripts/bundle.js: ${entry} is missing: run tsc first (npm run build)\n`);
  process.exit(2);
}
fs.rmSync(outdir, { recursive: true, force: true });
await build({
  // The decoder threads' script beside the chunks, where the pool looks for it (./worker.js).
  entryPoints: { cli: entry, worker: `${root}dist/src/import/worker.js` },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  packages: 'external',
  logLevel: 'warning',
});

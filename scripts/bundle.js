// Plain JavaScript, run after `tsc` by `npm run build` (and the test suite's set-up). Loading ~100
// small modules costs a fresh process ~10 ms in module resolution alone, so the commands run most
// (by cron and scripts) start from bundles of the same build (dependencies stay in node_modules):
// - dist/quick/answers.cjs: `advice` and `report` (src/answers.ts), one CommonJS file;
// - dist/quick/cli.js: the whole CLI, split into chunks loaded on demand, with the decoder threads'
//   worker.js beside them; `import` starts here.
// bin/kneecheck.js picks one by the command line (src/commands/quick.ts); every other command
// starts from dist/src/ (some find files beside their own module). See README "Benchmark".
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
/** Our own modules bundled; dependencies stay in node_modules. */
const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  packages: 'external',
  logLevel: 'warning',
};
await build({
  ...common,
  // The decoder threads' script beside the chunks, where the pool looks for it (./worker.js).
  entryPoints: { cli: entry, worker: `${root}dist/src/import/worker.js` },
  outdir,
  splitting: true,
});
// `advice` and `report` in one file, without splitting: one module to load instead of ~20 chunks.
// CommonJS, so that bin/kneecheck.js can run it with V8's code cache of a whole run beside it
// (src/commands/code-cache.ts): Node's own compile cache holds only the code compiled before a
// module runs, and every function called later is compiled again on every start (~4 ms here).
// CommonJS also takes Node's built-in modules without ESM facades (which load fs streams and more).
await build({
  ...common,
  format: 'cjs',
  entryPoints: [`${root}dist/src/answers.js`],
  outfile: `${outdir}/answers.cjs`,
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
});

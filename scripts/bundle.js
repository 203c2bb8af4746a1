// Plain JavaScript, run after `tsc` by `npm run build` (and the test suite's set-up). Loading ~100
// small modules costs a fresh process ~10 ms in module resolution alone, so the commands run most
// (by cron and scripts) start from bundles of the same build (dependencies stay in node_modules):
// - dist/quick/answers.js: `advice` and `report` (src/answers.ts), one file;
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
const answers = `${outdir}/answers.js`;
await build({ ...common, entryPoints: [`${root}dist/src/answers.js`], outfile: answers });

/**
 * Node's built-in modules taken with process.getBuiltinModule (Node 22.3+; the bundle's first
 * module stops older ones) instead of an ESM import: importing node:fs or node:util builds a
 * module facade that reads every export, which loads fs streams, worker_threads and more (~2 ms
 * each). Default and named imports are rewritten; any other form is left as it is.
 */
function builtinsWithoutFacades(code) {
  return code
    .replace(
      /^import (\w+) from "(node:[\w/]+)";$/gm,
      (_, name, id) => `const ${name} = process.getBuiltinModule("${id}");`,
    )
    .replace(
      /^import \{([\w\s,$]+)\} from "(node:[\w/]+)";$/gm,
      (_, names, id) =>
        `const {${names.replace(/\b(\w+) as (\w+)\b/g, '$1: $2')}} = process.getBuiltinModule("${id}");`,
    );
}
fs.writeFileSync(answers, builtinsWithoutFacades(fs.readFileSync(answers, 'utf8')));

#!/usr/bin/env node
// The `kneecheck` command (package.json "bin"; `npm link` puts it on the PATH). Plain JavaScript
// that runs on any Node >= 18: on a recent Node it loads the built CLI in this process; on an older
// one (e.g. a distribution's Node 20, also under cron) it runs the CLI on the pinned Node 24 that
// `npm install` put into the cache folder (scripts/node24.js), installing it there when missing.
// Built-in modules by process.getBuiltinModule where Node has it (22.3+): an ESM import of node:fs
// builds a module facade that reads every export, loading fs streams and more (~2 ms).
const builtin = async (id) => process.getBuiltinModule?.(id) ?? (await import(id)).default;
const fs = await builtin('node:fs');
const module = await builtin('node:module');
const { fileURLToPath, pathToFileURL } = await builtin('node:url');

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Answered here, on any Node and without loading the CLI: the version is package.json's.
  const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
  process.exit(0);
}
const built = fileURLToPath(new URL('../dist/src/cli.js', import.meta.url));
if (!fs.existsSync(built)) {
  process.stderr.write(
    `kneecheck: ${built} is missing: run \`npm install\` in ${fileURLToPath(new URL('..', import.meta.url))} (it builds dist/)\n`,
  );
  process.exit(2);
}
/**
 * The command lines run most start from a bundle of the same build (scripts/bundle.js, ~10 ms
 * less module loading): `advice`/`report` [--json] from dist/quick/answers.cjs (run with V8's code
 * cache of an earlier run, src/commands/code-cache.ts), `import <paths>` from dist/quick/cli.js,
 * each only when it is at least as new as dist/src/cli.js. Every other command line
 * (commander's), and a stale or missing bundle, starts from dist/src/.
 */
async function entry() {
  const { quickLine } = await import('../dist/src/commands/quick.js');
  const line = quickLine(args);
  if (line === null) return { file: built, cacheKey: null };
  const name = line.command === 'import' ? 'cli.js' : 'answers.cjs';
  const bundle = fileURLToPath(new URL(`../dist/quick/${name}`, import.meta.url));
  try {
    if (fs.statSync(bundle).mtimeMs < fs.statSync(built).mtimeMs) throw new Error('stale');
  } catch {
    return { file: built, cacheKey: null };
  }
  const cacheKey = line.command === 'import' ? null : `${line.command}${line.json ? '-json' : ''}`;
  return { file: bundle, cacheKey };
}
const { file, cacheKey } = await entry();
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major > 22 || (major === 22 && minor >= 22)) {
  // Before the CLI's modules are read: Node keeps their compiled code for the next start.
  module.enableCompileCache?.();
  if (cacheKey === null) await import(pathToFileURL(file).href);
  else (await import('../dist/src/commands/code-cache.js')).runCached(file, cacheKey);
} else {
  const { runScript } = await import('../scripts/node24.js');
  await runScript(file, args);
}

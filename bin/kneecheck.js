#!/usr/bin/env node
// The `kneecheck` command (package.json "bin"; `npm link` puts it on the PATH). Plain JavaScript
// that runs on any Node >= 18: on a recent Node it loads the built CLI in this process; on an older
// one (e.g. a distribution's Node 20, also under cron) it runs the CLI on the pinned Node 24 that
// `npm install` put into the cache folder (scripts/node24.js), installing it there when missing.
import fs from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Answered here, on any Node and without loading the CLI: the version is package.json's.
  const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
  process.exit(0);
}
const cli = fileURLToPath(new URL('../dist/src/cli.js', import.meta.url));
if (!fs.existsSync(cli)) {
  process.stderr.write(
    `kneecheck: ${cli} is missing: run \`npm install\` in ${fileURLToPath(new URL('..', import.meta.url))} (it builds dist/)\n`,
  );
  process.exit(2);
}
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major > 22 || (major === 22 && minor >= 22)) {
  // Before the CLI's modules are read: Node keeps their compiled code for the next start.
  module.enableCompileCache?.();
  await import('../dist/src/cli.js');
} else {
  const { runScript } = await import('../scripts/node24.js');
  await runScript(cli, args);
}

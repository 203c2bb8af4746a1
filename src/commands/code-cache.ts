// Loaded by bin/kneecheck.js for `advice` and `report`, before anything else of kneecheck's:
// built-in modules by process.getBuiltinModule (an ESM import of node:fs builds a facade that
// loads fs streams and more, ~2 ms).
const fs = process.getBuiltinModule('node:fs');
const path = process.getBuiltinModule('node:path');
const vm = process.getBuiltinModule('node:vm');
const { createRequire } = process.getBuiltinModule('node:module');

/** The folder beside a bundle that holds its code caches. */
export const CACHE_DIR = '.v8-cache';

type CommonJsBody = (
  exports: object,
  require: NodeJS.Require,
  module: { exports: object },
  filename: string,
  dirname: string,
) => void;

/**
 * The code cache file of `file` for one command line (`key`): named by this Node (a cache is
 * V8's own format) and by the bundle's size and time, so a rebuilt or edited bundle never meets
 * the code of an older one (V8 itself checks the source's length, not its text).
 */
export function cacheFileOf(file: string, key: string): string {
  const st = fs.statSync(file);
  const name = [
    path.basename(file),
    key,
    process.version,
    process.arch,
    st.size,
    Math.trunc(st.mtimeMs),
  ].join('-');
  return path.join(path.dirname(file), CACHE_DIR, `${name}.bin`);
}

/**
 * Runs the CommonJS bundle `file` (the answers bundle, scripts/bundle.js) in this process with
 * V8's code cache of a whole earlier run of the same command line (`key`), as
 * `node <file>` would run it. Node's own compile cache holds only the code compiled before a
 * module runs; every function first called later is compiled again on every start. This cache is
 * made after the run (at exit), so it holds what the command compiled (~4 ms of an `advice` start).
 *
 * It is written beside the bundle, like Python's `__pycache__`: only who can change kneecheck's
 * code can change its cache. When it is missing, or V8 rejects it (another Node, a damaged file),
 * the run compiles as usual and writes a new one; a folder kneecheck may not write to (a system
 * install) only means no cache.
 */
export function runCached(file: string, key: string): void {
  const source = fs.readFileSync(file, 'utf8');
  const cacheFile = cacheFileOf(file, key);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    {
      filename: file,
      ...(cachedData ? { cachedData } : {}),
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    },
  );
  if (cachedData === undefined || script.cachedDataRejected === true) {
    process.once('exit', () => save(cacheFile, () => script.createCachedData()));
  }
  const body = script.runInThisContext() as CommonJsBody;
  const module = { exports: {} };
  body.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
}

/** Writes a cache whole (a temporary file renamed), or not at all. */
function save(cacheFile: string, data: () => Buffer): void {
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    fs.writeFileSync(tmp, data());
    fs.renameSync(tmp, cacheFile);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // No folder to have written it in.
    }
  }
}

// Types for scripts/node24.js (plain JavaScript so that it runs on an old Node before any build).

/** The oldest Node kneecheck runs on, [major, minor]. */
export declare const NODE_FLOOR: readonly [number, number];
/** The Node version brought from the npm registry when the machine's is older than the floor. */
export declare const NODE_PIN: string;
/** True when `version` (default: this process's) is at least {@link NODE_FLOOR}. */
export declare function nodeIsRecentEnough(version?: string): boolean;
/** The cache folder (KNEECHECK_NODE_CACHE, else KNEECHECK_CI_CACHE, else ~/.cache/kneecheck-ci). */
export declare function cacheRoot(env?: NodeJS.ProcessEnv): string;
/** Where the pinned Node lives once installed: its folder, package dir (with include/) and binary. */
export declare function pinnedNode(env?: NodeJS.ProcessEnv): {
  folder: string;
  dir: string;
  bin: string;
};
/** Installs the pinned Node into the cache when missing; returns its binary's path. */
export declare function installPinnedNode(env?: NodeJS.ProcessEnv): string;
/** A Node binary kneecheck can run on, or null when none is there and `install` is false. */
export declare function findNode(options?: {
  install?: boolean;
  env?: NodeJS.ProcessEnv;
}): string | null;
/** The environment for a child on `nodeBin`: its folder first on PATH, its headers for node-gyp. */
export declare function envFor(nodeBin: string, env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
/** Runs `script` with `args` on a Node >= the floor (in process, or a child on the pinned Node). */
export declare function runScript(
  script: string,
  args: string[],
  options?: { install?: boolean },
): Promise<void>;

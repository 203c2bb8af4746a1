/**
 * The command lines kneecheck answers without building its command line (no commander, no other
 * command's declaration): `advice` and `report`, alone or with `--json`, and `import <paths>`
 * with or without `--json`. Read by src/cli.ts, by the answers bundle (src/answers.ts) and by
 * bin/kneecheck.js, which picks the bundle to start from; every other command line (another
 * option, a path starting with `-`, no path) goes through commander, which gives the same options
 * for these words.
 */
export interface QuickLine {
  command: 'advice' | 'report' | 'import';
  json: boolean;
  /** `import`'s paths, as given. */
  paths: string[];
}

export function quickLine(args: readonly string[]): QuickLine | null {
  const [command, ...rest] = args;
  const json = rest.includes('--json');
  const words = rest.filter((a) => a !== '--json');
  if (command === 'import') {
    if (words.length === 0 || words.some((a) => a.startsWith('-'))) return null;
    return { command, json, paths: words };
  }
  if (command !== 'advice' && command !== 'report') return null;
  return words.length === 0 && rest.length <= 1 ? { command, json, paths: [] } : null;
}

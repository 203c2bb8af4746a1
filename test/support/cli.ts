import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { BIN, tempDir } from './paths.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts the `kneecheck` command as installed (bin/kneecheck.js: `advice` and `report` from the
 * bundle, every other command from dist/src/) as a child process, in an empty working directory (so no
 * `.env` is picked up) with only the environment given plus PATH, HOME and the Berlin time zone.
 */
export function spawnCli(
  args: string[],
  env: Record<string, string> = {},
  cwd: string = tempDir('kneecheck-cwd-'),
): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      KNEECHECK_TIMEZONE: 'Europe/Berlin',
      ...env,
    },
  });
}

/** Runs the CLI like {@link spawnCli} and resolves with its exit code and output. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  cwd?: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, env, cwd);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

import type { ChildProcess } from 'node:child_process';
import { spawnCli } from './cli.ts';

/** A `kneecheck start` child process and what it printed. */
export interface RunningDaemon {
  child: ChildProcess;
  /** The dashboard URL it printed, ending in `/`. */
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];

/** Starts `kneecheck start` on a free port; resolves once it printed its URL. */
export function startDaemon(env: Record<string, string>, cwd?: string): Promise<RunningDaemon> {
  const child = spawnCli(['start'], { KNEECHECK_PORT: '0', ...env }, cwd);
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /Dashboard: (\S+)/.exec(stdout);
      if (m?.[1]) resolve({ child, url: m[1], stderr: () => stderr, exited });
    });
    void exited.then((code) => reject(new Error(`daemon exited with ${code}: ${stderr}`)));
  });
}

/** Kills every daemon started by {@link startDaemon} that is still running (afterEach). */
export function stopDaemons(): void {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
}

/** Polls `probe` every 50 ms until it returns something truthy. */
export async function until<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  ms = 10_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Prompt latency benchmark (`npm run bench`; alone: `node dist/bench/notify.js [--runs 50] [--json]`).
 *
 * For each of 50 new runs (generated FIT files), spawns `kneecheck import <file>` with
 * NOTIFY_WEBHOOK_URL pointing at a receiver on 127.0.0.1, and measures the time from spawning the
 * import to the receiver getting the knee-check payload (Node start-up included). Target from
 * issue 4: p95 under 1 s.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { simpleRun } from '../src/demo/synth-fit.ts';
import { percentile } from './stats.ts';

const TARGET_P95_MS = 1000;
const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const NOW = new Date('2026-11-25T18:00:00Z');

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '50' }, json: { type: 'boolean', default: false } },
});
const runs = Number(values.runs);

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kneecheck-bench-notify-'));
  let arrived: ((at: number) => void) | null = null;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.end('ok');
      arrived?.(performance.now());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const latencies: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      // One run every 30 min before NOW: each is new and recent enough to prompt.
      const file = path.join(dir, `run-${i}.fit`);
      const start = new Date(NOW.getTime() - (runs - i) * 1_800_000 - 1_200_000);
      fs.writeFileSync(file, simpleRun(start, { km: 3 + (i % 5) }));
      const got = new Promise<number>((r) => (arrived = r));
      const t0 = performance.now();
      const child = spawn(process.execPath, [CLI, 'import', file, '--json'], {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          KNEECHECK_DATA_DIR: path.join(dir, 'data'),
          KNEECHECK_TIMEZONE: 'Europe/Berlin',
          KNEECHECK_NOW: NOW.toISOString(),
          NOTIFY_WEBHOOK_URL: url,
        },
        stdio: 'ignore',
      });
      const exited = new Promise<void>((r) => child.on('close', () => r()));
      const timeout = new Promise<number>((_, reject) =>
        setTimeout(() => reject(new Error(`run ${i}: no prompt within 10 s`)), 10_000),
      );
      latencies.push((await Promise.race([got, timeout])) - t0);
      await exited;
    }
  } finally {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const startups: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await new Promise<void>((r) =>
      spawn(process.execPath, [CLI, '--version'], { stdio: 'ignore' }).on('close', () => r()),
    );
    startups.push(performance.now() - t0);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const startupP50 = percentile(
    [...startups].sort((a, b) => a - b),
    50,
  );
  const result = {
    runs,
    p50Ms: Math.round(percentile(sorted, 50)),
    p95Ms: Math.round(percentile(sorted, 95)),
    maxMs: Math.round(sorted.at(-1) ?? NaN),
    targetP95Ms: TARGET_P95_MS,
    startupP50Ms: Math.round(startupP50),
    p50VsStartup: Math.round((percentile(sorted, 50) / startupP50) * 100) / 100,
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  process.stdout.write(
    `\nPrompt latency: kneecheck import of one new file -> webhook receiver (${runs} runs)\n` +
      `  p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, max ${result.maxMs} ms ` +
      `(target p95 < ${TARGET_P95_MS} ms: ${result.p95Ms < TARGET_P95_MS ? 'met' : 'NOT met'})\n` +
      `  side by side: \`kneecheck --version\` p50 ${result.startupP50Ms} ms; ` +
      `import-to-prompt p50 = ${result.p50VsStartup}x that\n`,
  );
}

await main();

/**
 * Apple Health benchmark (`npm run bench`; alone: `node dist/bench/apple-health.js [--mb 2048] [--json]`).
 *
 * Streams a generated export.xml of about `--mb` MB (default 2048: a large real export; years of
 * heart rate, phone and watch step counts and energy Records, then a run every third day; see
 * test/support/apple-export.ts) to a temp folder, untimed, then imports it with
 * `node dist/src/cli.js import <export.xml> --json` as a child process into a fresh
 * KNEECHECK_DATA_DIR, and prints the throughput (MB of export.xml per second of wall time, Node
 * start-up included), the child's CPU time and its peak RSS (from `process.resourceUsage()`, read
 * by a module preloaded into the child when it exits). Exits 1 when a run is missing or the peak
 * RSS reaches 300 MB (issue 22: "peak RSS under 300 MB" for a several-GB export). The temp folder
 * is removed at the end, whatever happens.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeBigExport } from '../test/support/apple-export.ts';

const MB = 1024 * 1024;
const RSS_LIMIT_MB = 300;
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/cli.js');

const PRELOAD = `import fs from 'node:fs';
process.on('exit', () => {
  const u = process.resourceUsage();
  fs.writeFileSync(process.env.KNEECHECK_BENCH_USAGE, JSON.stringify({ maxRssKb: u.maxRSS, cpuUs: u.userCPUTime + u.systemCPUTime }));
});
`;

interface Child {
  code: number | null;
  stdout: string;
  wallS: number;
  maxRssMb: number;
  cpuS: number;
}

async function importChild(file: string, root: string): Promise<Child> {
  const usage = path.join(root, 'usage.json');
  const preload = path.join(root, 'usage-preload.mjs');
  fs.writeFileSync(preload, PRELOAD);
  const dataDir = fs.mkdtempSync(path.join(root, 'data-'));
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', preload, CLI, 'import', file, '--json'], {
    env: {
      ...process.env,
      KNEECHECK_DATA_DIR: dataDir,
      KNEECHECK_TIMEZONE: 'Europe/Paris',
      KNEECHECK_BENCH_USAGE: usage,
      KNEECHECK_NOW: '2026-11-25T12:00:00Z',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wallS = (performance.now() - t0) / 1000;
  const u = JSON.parse(fs.readFileSync(usage, 'utf8')) as { maxRssKb: number; cpuUs: number };
  return { code, stdout, wallS, maxRssMb: u.maxRssKb / 1024, cpuS: u.cpuUs / 1e6 };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { mb: { type: 'string', default: '2048' }, json: { type: 'boolean', default: false } },
  });
  const targetMb = Number(values.mb);
  if (!Number.isFinite(targetMb) || targetMb <= 0) {
    process.stderr.write('usage: node dist/bench/apple-health.js [--mb N] [--json]\n');
    return 2;
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kneecheck-bench-apple-'));
  try {
    const file = path.join(root, 'apple_health_export', 'export.xml');
    fs.mkdirSync(path.dirname(file));
    const g0 = performance.now();
    const made = await writeBigExport(file, targetMb * MB);
    const genS = (performance.now() - g0) / 1000;
    const r = await importChild(file, root);
    const report = JSON.parse(r.stdout || '{}') as { imported?: unknown[] };
    const imported = report.imported?.length ?? 0;
    const sizeMb = made.bytes / MB;
    const result = {
      exportMb: Math.round(sizeMb),
      runs: made.runs,
      imported,
      wallS: Number(r.wallS.toFixed(2)),
      cpuS: Number(r.cpuS.toFixed(2)),
      mbPerS: Number((sizeMb / r.wallS).toFixed(1)),
      peakRssMb: Math.round(r.maxRssMb),
      generateS: Number(genS.toFixed(1)),
    };
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      process.stdout.write(
        `Apple Health import: ${result.exportMb} MB export.xml, ${imported}/${made.runs} runs in ` +
          `${result.wallS} s (${result.mbPerS} MB/s, ${result.cpuS} s CPU), peak RSS ${result.peakRssMb} MB ` +
          `(limit ${RSS_LIMIT_MB} MB)\n`,
      );
    }
    return r.code === 0 && imported === made.runs && r.maxRssMb < RSS_LIMIT_MB ? 0 : 1;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

process.exitCode = await main();

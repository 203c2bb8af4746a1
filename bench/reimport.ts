/**
 * Duplicate re-import benchmark (`npm run bench`; alone:
 * `node dist/bench/reimport.js [--files 5000] [--rounds 5] [--json]`).
 *
 * Generates N small synthetic runs (src/demo/synth-fit.ts `simpleRun`, 1-2 km at 1 Hz, about
 * 11 KB each, each a distinct run) into a temp folder and imports them once, untimed. Then, in R
 * interleaved rounds (the order alternates each round), two whole child processes on the same
 * Node, each reporting its own CPU time (user + system, every thread) as it exits, through the
 * same preloaded hook:
 *
 * - (a) `node dist/src/cli.js import <folder> --json` again into the same data folder: every file
 *   is a duplicate;
 * - (b) the baseline: `node -e` that lists the same folder and reads + sha256s every file
 *   (`readFileSync`, `createHash`), the least any import must do to tell a file it has never seen.
 *
 * Both are whole processes, Node start-up included: that is what a user waits for, and the
 * re-import cannot skip its own start-up either. The median CPU of each is compared, target
 * ≤ 1.5×; wall times are printed beside it. A loaded machine makes the numbers noisier, never
 * makes the bench give up: it reports what it measured. Temp folders are removed at the end.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { simpleRun } from '../src/demo/synth-fit.ts';
import { median } from './stats.ts';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
/** From the issue: re-importing duplicates costs at most this many times reading + hashing them. */
const TARGET_RATIO = 1.5;
const DAY_MS = 86_400_000;
const NEWEST_RUN_UTC = Date.UTC(2026, 10, 1, 6, 0);

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
});
const files = Number(values.files);
const rounds = Number(values.rounds);
if (!(files > 0) || !(rounds > 0)) {
  process.stderr.write('--files and --rounds take positive whole numbers\n');
  process.exit(2);
}

/** Preloaded in both children: prints the process's own CPU time (ms, all threads) on exit. */
const CPU_HOOK = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\nCPU '+(u.user+u.system)/1000+'\\n')})`;

/** The baseline child: the folder listed, then every file read and hashed, one after another. */
const BASELINE = `
const fs = require('node:fs'), path = require('node:path'), { createHash } = require('node:crypto');
const dir = process.argv[1];
let n = 0;
for (const name of fs.readdirSync(dir).sort()) {
  createHash('sha256').update(fs.readFileSync(path.join(dir, name))).digest('hex');
  n++;
}
process.stdout.write(String(n));
`;

interface Measured {
  cpuMs: number;
  wallMs: number;
  stdout: string;
}

function child(args: string[], env: NodeJS.ProcessEnv): Measured {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', CPU_HOOK, ...args], {
    env,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  const wallMs = performance.now() - t0;
  const m = /\nCPU ([\d.]+)\n/.exec(r.stderr);
  if (r.status !== 0 || !m?.[1]) {
    throw new Error(`${args.slice(0, 2).join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  }
  return { cpuMs: Number(m[1]), wallMs, stdout: r.stdout };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kneecheck-bench-reimport-'));
  const src = path.join(dir, 'files');
  fs.mkdirSync(src);
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    KNEECHECK_DATA_DIR: path.join(dir, 'data'),
    KNEECHECK_TIMEZONE: 'Europe/Berlin',
  };
  try {
    const g0 = performance.now();
    let bytes = 0;
    for (let i = 0; i < files; i++) {
      const fit = simpleRun(new Date(NEWEST_RUN_UTC - i * DAY_MS), { km: 1 + (i % 3) * 0.5 });
      fs.writeFileSync(path.join(src, `run-${String(i).padStart(5, '0')}.fit`), fit);
      bytes += fit.length;
    }
    const generateS = (performance.now() - g0) / 1000;
    const first = child([CLI, 'import', src, '--json'], env);
    const firstReport = JSON.parse(first.stdout) as { imported: unknown[] };

    const reimport: Measured[] = [];
    const baseline: Measured[] = [];
    let duplicatesSeen = 0;
    for (let r = 0; r < rounds; r++) {
      const a = () => {
        const m = child([CLI, 'import', src, '--json'], env);
        duplicatesSeen = (JSON.parse(m.stdout) as { duplicates: unknown[] }).duplicates.length;
        reimport.push(m);
      };
      const b = () => {
        const m = child(['-e', BASELINE, src], env);
        if (Number(m.stdout) !== files) throw new Error(`baseline read ${m.stdout} files`);
        baseline.push(m);
      };
      if (r % 2 === 0) {
        a();
        b();
      } else {
        b();
        a();
      }
    }
    const reCpu = median(reimport.map((m) => m.cpuMs));
    const baseCpu = median(baseline.map((m) => m.cpuMs));
    const reWall = median(reimport.map((m) => m.wallMs));
    const baseWall = median(baseline.map((m) => m.wallMs));
    const ratio = reCpu / baseCpu;
    const met = ratio <= TARGET_RATIO;
    const result = {
      files,
      rounds,
      meanFileKb: round1(bytes / files / 1024),
      generateS: round1(generateS),
      firstImportCpuMs: Math.round(first.cpuMs),
      firstImported: firstReport.imported.length,
      duplicatesReported: duplicatesSeen,
      reimportCpuMs: Math.round(reCpu),
      baselineCpuMs: Math.round(baseCpu),
      reimportCpuPerFileMs: round2(reCpu / files),
      baselineCpuPerFileMs: round2(baseCpu / files),
      reimportWallMs: Math.round(reWall),
      baselineWallMs: Math.round(baseWall),
      ratio: round2(ratio),
      wallRatio: round2(reWall / baseWall),
      target: TARGET_RATIO,
      met,
      loadAverage1m: round2(os.loadavg()[0] ?? NaN),
    };
    if (values.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      const per = (ms: number) => `${Math.round(ms)} ms (${round2(ms / files)} ms/file)`;
      process.stdout.write(
        `\nDuplicate re-import (${files} files of ~${result.meanFileKb} KB, generated in ${result.generateS} s; ` +
          `first import ${result.firstImported} runs, CPU ${result.firstImportCpuMs} ms)\n` +
          `  median of ${rounds} interleaved rounds, whole processes (Node start-up included), CPU user+system:\n` +
          `  (a) kneecheck import <folder> --json again (${duplicatesSeen} duplicates): CPU ${per(reCpu)}, wall ${Math.round(reWall)} ms\n` +
          `  (b) node -e read + sha256 of the same files:        CPU ${per(baseCpu)}, wall ${Math.round(baseWall)} ms\n` +
          `  duplicate re-import / read+sha256 ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×: ${met ? 'met' : 'MISSED'}); ` +
          `wall ${result.wallRatio.toFixed(2)}×; load average ${result.loadAverage1m}\n`,
      );
    }
    if (duplicatesSeen !== files) {
      process.stderr.write(
        `warning: the re-import reported ${duplicatesSeen} duplicates, not ${files}\n`,
      );
      process.exitCode = 1;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();

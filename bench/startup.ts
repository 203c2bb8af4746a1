/**
 * Start-up benchmark (`npm run bench`; alone: `node dist/bench/startup.js [--rounds 31] [--years 5] [--json]`).
 *
 * Times whole processes, side by side in one run: each round starts, in turn, a bare `node -e 0`
 * (the yardstick), `kneecheck --version`, `kneecheck --help`, and `kneecheck report --json` and
 * `kneecheck advice --json` on a fresh database of five years of daily runs. `kneecheck` is the
 * command as installed (bin/kneecheck.js) on this Node. Each figure is the median over the rounds;
 * each ratio is the median of the per-round ratios (pairing keeps it meaningful when the
 * machine's speed drifts; 31 rounds: beside the test suite on 2 cores, 15 rounds' ratio swung by
 * ±0.4 from run to run). It never gives up on a slow machine: it reports what it measured.
 *
 * Targets (issue 13): `--version` ≤ 1.5× `node -e 0`; `report`/`advice` at five years ≤ 2.5×.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Store } from '../src/store/index.ts';
import { ZONE, fillHistory } from './history.ts';

/** bin/kneecheck.js, from dist/bench/startup.js or bench/startup.ts. */
const BIN = [
  fileURLToPath(new URL('../../bin/kneecheck.js', import.meta.url)),
  fileURLToPath(new URL('../bin/kneecheck.js', import.meta.url)),
].find((p) => fs.existsSync(p));

interface Case {
  name: string;
  args: string[];
  /** Highest ratio to `node -e 0` allowed, or null for a figure shown without a target. */
  target: number | null;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function main(): void {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '31' },
      years: { type: 'string', default: '5' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!BIN) throw new Error('bin/kneecheck.js not found beside the benchmark');
  const rounds = Math.max(3, Number(values.rounds));
  const days = Math.round(Number(values.years) * 365.25);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kneecheck-bench-startup-'));
  try {
    // History up to today, and no KNEECHECK_NOW: the commands read the clock as a runner's do
    // (parsing a fixed clock with luxon would add ~1.5 ms no runner pays).
    const store = Store.open(dataDir);
    fillHistory(store, days, new Date());
    store.close();
    const cases: Case[] = [
      { name: 'node -e 0', args: ['-e', '0'], target: null },
      { name: 'kneecheck --version', args: [BIN, '--version'], target: 1.5 },
      { name: 'kneecheck --help', args: [BIN, '--help'], target: null },
      {
        name: `kneecheck report --json (${values.years} years)`,
        args: [BIN, 'report', '--json'],
        target: 2.5,
      },
      {
        name: `kneecheck advice --json (${values.years} years)`,
        args: [BIN, 'advice', '--json'],
        target: 2.5,
      },
    ];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KNEECHECK_DATA_DIR: dataDir,
      KNEECHECK_TIMEZONE: ZONE,
    };
    delete env.KNEECHECK_NOW;
    const once = (c: Case): number => {
      const t = performance.now();
      const r = spawnSync(process.execPath, c.args, { env, encoding: 'utf8', cwd: dataDir });
      const ms = performance.now() - t;
      if (r.status !== 0) throw new Error(`${c.name} failed (exit ${r.status}): ${r.stderr}`);
      return ms;
    };
    for (const c of cases) once(c); // warm-up: the module compile cache, the OS file cache
    const times = cases.map(() => [] as number[]);
    for (let round = 0; round < rounds; round++) {
      cases.forEach((c, i) => times[i]?.push(once(c)));
    }
    const base = times[0] ?? [];
    const figures = cases.map((c, i) => {
      const ts = times[i] ?? [];
      return {
        name: c.name,
        medianMs: median(ts),
        ratio: median(ts.map((t, k) => t / (base[k] ?? NaN))),
        target: c.target,
      };
    });
    if (values.json) {
      console.log(JSON.stringify({ rounds, runs: days, figures }, null, 2));
      return;
    }
    console.log(`start-up, ${rounds} rounds side by side (${days} daily runs for report/advice)`);
    for (const f of figures) {
      const target =
        f.target === null
          ? ''
          : ` (target ≤ ${f.target}×: ${f.ratio <= f.target ? 'met' : 'MISSED'})`;
      console.log(
        `  ${f.name.padEnd(40)} median ${f.medianMs.toFixed(1).padStart(6)} ms  ${f.ratio.toFixed(2)}× node -e 0${target}`,
      );
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main();

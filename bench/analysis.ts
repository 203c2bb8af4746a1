/**
 * Report and advice benchmark (`npm run bench`, after the import benchmark; alone:
 * `node dist/bench/analysis.js [--years 5] [--json]`).
 *
 * Stores five years of daily runs (each with a form summary of eight speed bins) and a knee
 * check a week into a fresh database, then measures, in this one run:
 * - in-process: loading the history from SQLite plus `buildReport` (8 weeks) plus `advise`, 30
 *   times (median and slowest after 3 warm-up rounds);
 * - end to end: `kneecheck report --json` and `kneecheck advice --json` as child processes, 10 times
 *   each (wall time from spawn to exit, Node start-up included).
 * - as the CLI reads it (only the runs the answer needs) at 1, 5 and 20 years: the runs read
 *   (target, issue 13: the same at every length) and the time.
 * Targets from issue 3: under 100 ms in-process, under 400 ms for the CLI.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { advise } from '../src/advice/advise.ts';
import { DEFAULT_THRESHOLDS } from '../src/advice/thresholds.ts';
import { adviceInput, loadHistory, reportOf } from '../src/history.ts';
import { buildReport } from '../src/load/report.ts';
import { Store } from '../src/store/index.ts';
import { NOW, ZONE, fillHistory } from './history.ts';

const TARGET_IN_PROCESS_MS = 100;
const TARGET_CLI_MS = 400;
const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const max = (xs: number[]) => Math.max(...xs);

function main(): void {
  const { values } = parseArgs({
    options: { years: { type: 'string', default: '5' }, json: { type: 'boolean', default: false } },
  });
  const days = Math.round(Number(values.years) * 365.25);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kneecheck-bench-analysis-'));
  try {
    const store = Store.open(dataDir);
    fillHistory(store, days);
    const once = () => {
      const until = Math.floor(NOW.getTime() / 1000);
      const runs = store.runs.list({ untilUnix: until });
      const forms = store.runs.forms(runs.map((r) => r.id));
      const checks = store.checks.list(until);
      const report = buildReport({ runs, forms, checks, zone: ZONE, now: NOW, weeks: 8 });
      const advice = advise({
        runs,
        forms,
        checks,
        now: NOW,
        zone: ZONE,
        units: 'metric',
        thresholds: DEFAULT_THRESHOLDS,
      });
      return report.weeks.length + advice.suggestions.length;
    };
    const coldStart = performance.now();
    once();
    const coldMs = performance.now() - coldStart;
    for (let i = 0; i < 2; i++) once();
    const inProcess: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      once();
      inProcess.push(performance.now() - t);
    }
    store.close();
    const cli = (command: string) => {
      const times: number[] = [];
      for (let i = 0; i < 10; i++) {
        const t = performance.now();
        const r = spawnSync(process.execPath, [CLI, command, '--json'], {
          env: {
            ...process.env,
            KNEECHECK_DATA_DIR: dataDir,
            KNEECHECK_TIMEZONE: ZONE,
            KNEECHECK_NOW: NOW.toISOString(),
          },
          encoding: 'utf8',
        });
        times.push(performance.now() - t);
        if (r.status !== 0) throw new Error(`kneecheck ${command} failed: ${r.stderr}`);
      }
      return times;
    };
    const report = cli('report');
    const flat = flatness();
    const adviceTimes = cli('advice');
    const figures = {
      runs: days,
      inProcessFirstCallMs: coldMs,
      inProcessMedianMs: median(inProcess),
      inProcessMaxMs: max(inProcess),
      cliReportMedianMs: median(report),
      cliReportMaxMs: max(report),
      cliAdviceMedianMs: median(adviceTimes),
      cliAdviceMaxMs: max(adviceTimes),
      targets: { inProcessMs: TARGET_IN_PROCESS_MS, cliMs: TARGET_CLI_MS },
      flat,
    };
    if (values.json) {
      console.log(JSON.stringify(figures, null, 2));
      return;
    }
    const f = (ms: number) => `${ms.toFixed(1)} ms`;
    const mark = (ms: number, target: number) =>
      ms < target ? `(target < ${target} ms: met)` : `(target < ${target} ms: MISSED)`;
    console.log(
      `report + advice on ${days} daily runs (${values.years} years) and ${Math.ceil(days / 7)} knee checks`,
    );
    console.log(
      `  in-process (load + report + advice): median ${f(figures.inProcessMedianMs)}, slowest ${f(figures.inProcessMaxMs)} ${mark(figures.inProcessMedianMs, TARGET_IN_PROCESS_MS)}`,
    );
    console.log(`  in-process, first call (cold caches): ${f(figures.inProcessFirstCallMs)}`);
    console.log(
      `  CLI report --json: median ${f(figures.cliReportMedianMs)}, slowest ${f(figures.cliReportMaxMs)} ${mark(figures.cliReportMedianMs, TARGET_CLI_MS)}`,
    );
    console.log(
      `  CLI advice --json: median ${f(figures.cliAdviceMedianMs)}, slowest ${f(figures.cliAdviceMaxMs)} ${mark(figures.cliAdviceMedianMs, TARGET_CLI_MS)}`,
    );
    console.log(
      '  as the CLI reads it (loadHistory of the weeks shown + report + advice), by years stored:',
    );
    for (const y of flat) {
      console.log(
        `    ${String(y.years).padStart(2)} years: ${String(y.runsRead).padStart(4)} runs read of ${y.runs}, median ${f(y.medianMs)}`,
      );
    }
    const [first, last] = [flat[0], flat.at(-1)];
    if (first && last) {
      const same = flat.every((y) => y.runsRead === first.runsRead);
      console.log(
        `    runs read flat in the years stored (target): ${same ? 'met' : 'MISSED'}; time ${last.years} y / ${first.years} y ${(last.medianMs / first.medianMs).toFixed(2)}× (grows with the knee checks since the last clearance: red flags stand until cleared)`,
      );
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The windowed path the CLI takes (loadHistory with what the answer needs, then the report and
 * the advice), in this process, at 1, 5 and 20 years of daily runs with a knee check a week:
 * the runs read, and the median of 20 rounds after 3 warm-ups.
 */
function flatness(): { years: number; runs: number; runsRead: number; medianMs: number }[] {
  const config = { timezone: ZONE, units: 'metric' as const, thresholds: DEFAULT_THRESHOLDS };
  return [1, 5, 20].map((years) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kneecheck-bench-flat-'));
    const store = Store.open(dir);
    try {
      const days = Math.round(years * 365.25);
      fillHistory(store, days);
      const once = () => {
        const h = loadHistory(store, NOW, { weeks: 8, advice: config });
        reportOf(h, config, NOW, 8);
        advise(adviceInput(h, config, NOW));
        return h.runs.length;
      };
      let runsRead = 0;
      for (let i = 0; i < 3; i++) runsRead = once();
      const times: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t = performance.now();
        once();
        times.push(performance.now() - t);
      }
      return { years, runs: days, runsRead, medianMs: median(times) };
    } finally {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

main();

/**
 * Import benchmark (`npm run bench`; alone: `node dist/bench/import.js [--files 1000] [--rounds R] [--json]`).
 *
 * Generates N one-hour 1 Hz runs with the FIT SDK's `Encoder` (test/support/synth-fit.ts) into a
 * temp folder, on worker threads, untimed. Then, in R interleaved rounds (the order rotates each
 * round, and the best time of each measurement is reported):
 *
 * - import: `node dist/src/cli.js import <folder> --json` as a child process into a fresh
 *   KNEECHECK_DATA_DIR; wall time measured here, from spawn to exit (Node start-up included);
 *   peak RSS and CPU time of the child from GNU `/usr/bin/time -v`, or, where that is missing, from
 *   `process.resourceUsage()` read by a preloaded module when the child exits;
 * - (a) decoding alone with the SDK's default `read()`, (b) with `fit-file-parser`
 *   (`mode: 'list'`) and (c) with kneecheck's own decoder (importers/fit-own.ts, what the import
 *   uses for intact files): single thread, in this process, over the files already read into
 *   memory (reading is not timed; the import child reads them from the page cache, since they were
 *   just written).
 *
 * `--rss preload` forces the second way of reading peak RSS (`auto` picks GNU time when present).
 * Exits 1 when the import does not report every file imported. Temp folders are removed at the end.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Decoder, Stream } from '@garmin/fitsdk';
import FitParser from 'fit-file-parser';
import { IANAZone } from 'luxon';
import { decodeOwn } from '../importers/fit-own.ts';
import { synthFit } from '../test/support/synth-fit.ts';

const TIMEZONE = 'Europe/Berlin';
/** Seconds per run; at 1 Hz that is DURATION_S + 1 records. */
const DURATION_S = 3600;
/** The newest run starts on this day; each further run starts one day earlier. */
const NEWEST_RUN_UTC = Date.UTC(2026, 10, 1, 5, 30);
const DAY_MS = 86_400_000;
const MB = 1_000_000;
/** Targets from the issue. */
const TARGET_IMPORT_VS_SDK = 0.7;
const TARGET_RSS_MB = 300;
const TARGET_RSS_FILES = 2000;
const TIME_BIN = '/usr/bin/time';

/** The CLI, built beside this file: dist/bench/import.js → dist/src/cli.js. */
const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

interface GenTask {
  dir: string;
  indices: number[];
}

/** The run written as file `index`: distinct day and start time, speed and step rate vary a little. */
function benchRun(index: number): Uint8Array {
  const start = new Date(NEWEST_RUN_UTC - index * DAY_MS + ((index * 7) % 90) * 60_000);
  const speed = 2.6 + (index % 9) * 0.1;
  const spm = 158 + (index % 13);
  return synthFit({
    start,
    localOffsetMin: IANAZone.create(TIMEZONE).offset(start.getTime()),
    sessions: [
      {
        durationS: DURATION_S,
        speedMps: (t) => speed + 0.15 * Math.sin(t / 97 + index),
        stepRateSpm: (t) => spm + 3 * Math.sin(t / 53 + index),
        stepLength: true,
      },
    ],
  });
}

const fileName = (index: number) => `run-${String(index).padStart(5, '0')}.fit`;

/** Worker side of {@link generate}: writes its share of the files, then reports the bytes written. */
function generateInWorker(task: GenTask): void {
  let bytes = 0;
  for (const i of task.indices) {
    const fit = benchRun(i);
    fs.writeFileSync(path.join(task.dir, fileName(i)), fit);
    bytes += fit.length;
  }
  parentPort?.postMessage(bytes);
}

/** Writes `count` FIT files into `dir`, on one worker thread per core; returns the total bytes. */
async function generate(dir: string, count: number): Promise<number> {
  const threads = Math.max(1, Math.min(os.availableParallelism(), count));
  const shares = Array.from({ length: threads }, (_, t) =>
    Array.from({ length: count }, (_, i) => i).filter((i) => i % threads === t),
  );
  const totals = await Promise.all(
    shares.map(
      (indices) =>
        new Promise<number>((resolve, reject) => {
          const w = new Worker(new URL(import.meta.url), {
            workerData: { dir, indices } satisfies GenTask,
          });
          w.once('message', (bytes: number) => resolve(bytes));
          w.once('error', reject);
          w.once('exit', (code) => {
            if (code !== 0) reject(new Error(`generator thread exited with code ${code}`));
          });
        }),
    ),
  );
  return totals.reduce((a, b) => a + b, 0);
}

type RssMethod = 'gnu-time' | 'preload';

interface ImportRun {
  wallS: number;
  peakRssMB: number;
  cpuS: number;
}

/** Is GNU time there, with `-v` and `-o`? */
function hasGnuTime(scratch: string): boolean {
  if (!fs.existsSync(TIME_BIN)) return false;
  const out = path.join(scratch, 'time-probe.txt');
  const r = spawnSync(TIME_BIN, ['-v', '-o', out, process.execPath, '-e', '0'], {
    stdio: 'ignore',
  });
  const ok =
    r.status === 0 &&
    fs.existsSync(out) &&
    /Maximum resident set size/.test(fs.readFileSync(out, 'utf8'));
  fs.rmSync(out, { force: true });
  return ok;
}

/** A module preloaded into the child (`--import`) that writes its peak RSS and CPU time on exit. */
const PRELOAD = `import fs from 'node:fs';
process.on('exit', () => {
  const u = process.resourceUsage();
  fs.writeFileSync(process.env.KNEECHECK_BENCH_USAGE, JSON.stringify({ maxRssKb: u.maxRSS, cpuUs: u.userCPUTime + u.systemCPUTime }));
});
`;

function parseGnuTime(text: string): { maxRssKb: number; cpuS: number } {
  const field = (label: string): number => {
    const m = new RegExp(`${label}[^:]*:\\s*([\\d.]+)`).exec(text);
    if (!m?.[1]) throw new Error(`no "${label}" in the output of ${TIME_BIN} -v:\n${text}`);
    return Number(m[1]);
  };
  return {
    maxRssKb: field('Maximum resident set size'),
    cpuS: field('User time') + field('System time'),
  };
}

interface ImportJson {
  imported: unknown[];
  duplicates: unknown[];
  skipped: unknown[];
  failed: { file: string; error: string }[];
}

/** Runs the CLI import of `folder` into a fresh `dataDir`; throws unless all `expected` files are imported. */
async function runImport(
  folder: string,
  dataDir: string,
  scratch: string,
  expected: number,
  method: RssMethod,
): Promise<ImportRun> {
  const usageFile = path.join(scratch, 'usage.txt');
  fs.rmSync(usageFile, { force: true });
  const nodeArgs = [CLI, 'import', folder, '--json'];
  const [cmd, args] =
    method === 'gnu-time'
      ? [TIME_BIN, ['-v', '-o', usageFile, process.execPath, ...nodeArgs]]
      : [process.execPath, ['--import', path.join(scratch, 'usage-preload.mjs'), ...nodeArgs]];
  const env = {
    ...process.env,
    KNEECHECK_DATA_DIR: dataDir,
    KNEECHECK_TIMEZONE: TIMEZONE,
    KNEECHECK_BENCH_USAGE: usageFile,
  };
  const started = performance.now();
  const { code, stdout, stderr } = await new Promise<{
    code: number | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    // Run in the scratch folder so that no `.env` of the caller's working directory applies.
    const child = spawn(cmd, args, { cwd: scratch, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.once('error', reject);
    child.once('close', (c) =>
      resolve({
        code: c,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
  const wallS = (performance.now() - started) / 1000;

  let report: ImportJson;
  try {
    report = JSON.parse(stdout) as ImportJson;
  } catch {
    throw new Error(
      `import printed no JSON report (exit code ${code}).\nstderr:\n${stderr}\nstdout:\n${stdout.slice(0, 2000)}`,
    );
  }
  const counts = {
    imported: report.imported.length,
    duplicates: report.duplicates.length,
    skipped: report.skipped.length,
    failed: report.failed.length,
  };
  if (code !== 0 || counts.imported !== expected) {
    throw new Error(
      `import reported ${JSON.stringify(counts)} with exit code ${code}; expected ${expected} imported.` +
        (report.failed[0] ? `\nfirst failure: ${JSON.stringify(report.failed[0])}` : '') +
        (stderr ? `\nstderr:\n${stderr}` : ''),
    );
  }

  const usageText = fs.readFileSync(usageFile, 'utf8');
  const usage =
    method === 'gnu-time'
      ? parseGnuTime(usageText)
      : ((u: { maxRssKb: number; cpuUs: number }) => ({
          maxRssKb: u.maxRssKb,
          cpuS: u.cpuUs / 1e6,
        }))(JSON.parse(usageText) as { maxRssKb: number; cpuUs: number });
  return { wallS, peakRssMB: (usage.maxRssKb * 1024) / MB, cpuS: usage.cpuS };
}

/** Decodes every file with the SDK's default `read()`; returns seconds. */
function decodeSdkDefault(files: readonly Buffer[]): number {
  const started = performance.now();
  let records = 0;
  for (const bytes of files) {
    const { messages, errors } = new Decoder(Stream.fromBuffer(bytes)).read();
    if (errors.length > 0) throw new Error(`SDK read() failed: ${String(errors[0])}`);
    records += messages.recordMesgs?.length ?? 0;
  }
  const s = (performance.now() - started) / 1000;
  checkRecords('SDK read()', records, files.length);
  return s;
}

/** Decodes every file with fit-file-parser in list mode; returns seconds. */
function decodeFitFileParser(files: readonly Buffer<ArrayBuffer>[]): number {
  const started = performance.now();
  let records = 0;
  for (const bytes of files) {
    let failure: string | null = 'no callback';
    // parse() reports synchronously through its callback.
    new FitParser({ mode: 'list' }).parse(bytes, (error, data) => {
      failure = error ?? (data ? null : 'no data');
      records += data?.records?.length ?? 0;
    });
    if (failure !== null) throw new Error(`fit-file-parser failed: ${String(failure)}`);
  }
  const s = (performance.now() - started) / 1000;
  checkRecords('fit-file-parser', records, files.length);
  return s;
}

/** Decodes every file with kneecheck's own decoder; returns seconds. */
function decodeOwnDecoder(files: readonly Buffer[]): number {
  const started = performance.now();
  let records = 0;
  for (const bytes of files) {
    const decoded = decodeOwn(bytes);
    if (!decoded) throw new Error('the own decoder refused a generated file');
    records += decoded.records.length;
  }
  const s = (performance.now() - started) / 1000;
  checkRecords('own decoder', records, files.length);
  return s;
}

function checkRecords(decoder: string, records: number, files: number): void {
  const expected = files * (DURATION_S + 1);
  if (records !== expected) {
    throw new Error(`${decoder} read ${records} records, expected ${expected}`);
  }
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const fixed = (n: number, digits: number) => n.toFixed(digits);
const best = (xs: readonly number[]) => Math.min(...xs);

/** The figures printed (and emitted by `--json`). */
interface BenchResult {
  files: number;
  totalMB: number;
  cores: number;
  node: string;
  rounds: number;
  import: {
    /** Best wall time of the rounds, seconds. */
    wallS: number;
    filesPerS: number;
    MBPerS: number;
    /** Highest peak RSS of the import child over the rounds. */
    peakRssMB: number;
    rssMethod: RssMethod;
    /** User + system CPU time of the child in the best round. */
    cpuS: number;
    allWallS: number[];
  };
  decodeSdkDefaultS: number;
  decodeFitFileParserS: number;
  /** kneecheck's own decoder (importers/fit-own.ts), best of the rounds. */
  decodeOwnS: number;
  allDecodeSdkDefaultS: number[];
  allDecodeFitFileParserS: number[];
  allDecodeOwnS: number[];
  importVsSdkDefault: number;
  importVsFitFileParser: number;
  ownVsSdkDefault: number;
  targets: {
    importVsSdkDefaultMax: number;
    importVsSdkDefaultMet: boolean;
    peakRssMBMax: number;
    peakRssAtFiles: number;
    peakRssMet: boolean;
  };
}

/**
 * Generates `count` runs, measures the CLI import and the two decoders on them over `rounds`
 * interleaved rounds, and removes every temp folder before returning.
 */
async function runBench(
  count: number,
  rounds: number,
  rss: RssMethod | 'auto',
): Promise<BenchResult> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kneecheck-bench-'));
  const onSignal = () => {
    fs.rmSync(root, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const folder = path.join(root, 'fit');
    fs.mkdirSync(folder);
    const method: RssMethod = rss !== 'auto' ? rss : hasGnuTime(root) ? 'gnu-time' : 'preload';
    if (method === 'preload') fs.writeFileSync(path.join(root, 'usage-preload.mjs'), PRELOAD);

    log(`generating ${count} one-hour 1 Hz runs in ${folder} …`);
    const genStart = performance.now();
    const totalBytes = await generate(folder, count);
    log(
      `  ${fixed(totalBytes / MB, 1)} MB in ${fixed((performance.now() - genStart) / 1000, 1)} s (not measured)`,
    );
    const files = fs
      .readdirSync(folder)
      .sort()
      .map((f) => fs.readFileSync(path.join(folder, f)));
    if (files.length !== count) throw new Error(`${files.length} files generated, not ${count}`);

    const imports: ImportRun[] = [];
    const sdk: number[] = [];
    const ffp: number[] = [];
    const own: number[] = [];
    const steps = {
      import: async (round: number) => {
        const dataDir = path.join(root, `data-${round}`);
        const r = await runImport(folder, dataDir, root, count, method);
        fs.rmSync(dataDir, { recursive: true, force: true });
        imports.push(r);
        log(
          `  import           ${fixed(r.wallS, 2)} s  (peak RSS ${fixed(r.peakRssMB, 0)} MB, CPU ${fixed(r.cpuS, 2)} s)`,
        );
      },
      sdk: () => {
        sdk.push(decodeSdkDefault(files));
        log(`  SDK read()       ${fixed(sdk.at(-1) ?? 0, 2)} s`);
      },
      ffp: () => {
        ffp.push(decodeFitFileParser(files));
        log(`  fit-file-parser  ${fixed(ffp.at(-1) ?? 0, 2)} s`);
      },
      own: () => {
        own.push(decodeOwnDecoder(files));
        log(`  own decoder      ${fixed(own.at(-1) ?? 0, 2)} s`);
      },
    };
    const order = ['import', 'sdk', 'ffp', 'own'] as const;
    for (let round = 0; round < rounds; round++) {
      log(`round ${round + 1}/${rounds}`);
      for (let k = 0; k < order.length; k++) {
        const step = order[(k + round) % order.length] ?? 'import';
        await steps[step](round);
      }
    }

    const bestImport = imports.reduce((a, b) => (b.wallS < a.wallS ? b : a));
    const peakRssMB = Math.max(...imports.map((r) => r.peakRssMB));
    const sdkS = best(sdk);
    const ffpS = best(ffp);
    const ownS = best(own);
    const ratio = bestImport.wallS / sdkS;
    return {
      files: count,
      totalMB: totalBytes / MB,
      cores: os.availableParallelism(),
      node: process.version,
      rounds,
      import: {
        wallS: bestImport.wallS,
        filesPerS: count / bestImport.wallS,
        MBPerS: totalBytes / MB / bestImport.wallS,
        peakRssMB,
        rssMethod: method,
        cpuS: bestImport.cpuS,
        allWallS: imports.map((r) => r.wallS),
      },
      decodeSdkDefaultS: sdkS,
      decodeFitFileParserS: ffpS,
      decodeOwnS: ownS,
      allDecodeSdkDefaultS: sdk,
      allDecodeFitFileParserS: ffp,
      allDecodeOwnS: own,
      importVsSdkDefault: ratio,
      importVsFitFileParser: bestImport.wallS / ffpS,
      ownVsSdkDefault: ownS / sdkS,
      targets: {
        importVsSdkDefaultMax: TARGET_IMPORT_VS_SDK,
        importVsSdkDefaultMet: ratio <= TARGET_IMPORT_VS_SDK,
        peakRssMBMax: TARGET_RSS_MB,
        peakRssAtFiles: TARGET_RSS_FILES,
        peakRssMet: peakRssMB < TARGET_RSS_MB,
      },
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The human-readable table of {@link BenchResult}. */
function formatResult(r: BenchResult): string {
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const rssNote =
    r.files >= r.targets.peakRssAtFiles
      ? met(r.targets.peakRssMet)
      : `${met(r.targets.peakRssMet)} here; the target is for ${r.targets.peakRssAtFiles} files`;
  const rows: [string, string, string][] = [
    ['files', String(r.files), `one-hour 1 Hz runs, ${DURATION_S + 1} records each`],
    ['total size', `${fixed(r.totalMB, 1)} MB`, ''],
    [
      'import wall time',
      `${fixed(r.import.wallS, 2)} s`,
      `CLI child, ${r.cores} cores, best of ${r.rounds}; CPU ${fixed(r.import.cpuS, 2)} s`,
    ],
    ['import files/s', fixed(r.import.filesPerS, 1), ''],
    ['import MB/s', fixed(r.import.MBPerS, 1), ''],
    [
      'import peak RSS',
      `${fixed(r.import.peakRssMB, 0)} MB`,
      `target < ${r.targets.peakRssMBMax} MB at ${r.targets.peakRssAtFiles} files: ${rssNote} (${r.import.rssMethod === 'gnu-time' ? '/usr/bin/time -v' : 'process.resourceUsage() in the child'}, highest of ${r.rounds})`,
    ],
    [
      '(a) SDK read() default',
      `${fixed(r.decodeSdkDefaultS, 2)} s`,
      'decode only, 1 thread, from memory',
    ],
    [
      '(b) fit-file-parser',
      `${fixed(r.decodeFitFileParserS, 2)} s`,
      'decode only, 1 thread, from memory',
    ],
    [
      '(c) own decoder',
      `${fixed(r.decodeOwnS, 2)} s`,
      'decode only, 1 thread, from memory (importers/fit-own.ts)',
    ],
    [
      'import / (a)',
      `${fixed(r.importVsSdkDefault, 2)}×`,
      `target ≤ ${r.targets.importVsSdkDefaultMax}×: ${met(r.targets.importVsSdkDefaultMet)}`,
    ],
    ['import / (b)', `${fixed(r.importVsFitFileParser, 2)}×`, ''],
    ['(c) / (a)', `${fixed(r.ownVsSdkDefault, 3)}×`, 'own decoder vs SDK read(), same rounds'],
  ];
  const w0 = Math.max(...rows.map(([a]) => a.length));
  const w1 = Math.max(...rows.map(([, b]) => b.length));
  return rows.map(([a, b, c]) => `${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`.trimEnd()).join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      files: { type: 'string', default: '1000' },
      rounds: { type: 'string', default: '3' },
      json: { type: 'boolean', default: false },
      /** How to read the import child's peak RSS; default: GNU time when present. */
      rss: { type: 'string', default: 'auto' },
    },
  });
  const count = Number(values.files);
  const rounds = Number(values.rounds);
  const rss = values.rss;
  if (
    !Number.isInteger(count) ||
    count < 1 ||
    !Number.isInteger(rounds) ||
    rounds < 1 ||
    (rss !== 'auto' && rss !== 'gnu-time' && rss !== 'preload')
  ) {
    log(
      'usage: node dist/bench/import.js [--files N] [--rounds R] [--rss auto|gnu-time|preload] [--json]',
    );
    return 2;
  }
  if (!fs.existsSync(CLI)) {
    log(`bench: ${CLI} is missing; run it with \`npm run bench\` (which builds first)`);
    return 2;
  }
  const result = await runBench(count, rounds, rss);
  process.stdout.write(
    values.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatResult(result)}\n`,
  );
  return 0;
}

if (isMainThread) {
  try {
    process.exitCode = await main();
  } catch (e) {
    log(`bench FAILED: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
} else {
  generateInWorker(workerData as GenTask);
}

/**
 * GPX and TCX import benchmark, beside FIT's (`npm run bench`; alone:
 * `node dist/bench/xml.js [--files 100] [--rounds 3] [--json]`).
 *
 * Writes the same N one-hour 1 Hz runs (a different day each) as FIT (the SDK's Encoder), GPX and
 * TCX (test/support/xml-writer.ts: Garmin's extensions, heart rate and cadence in every point)
 * into three folders, untimed. Then, in R rounds (the order of the formats rotates each round):
 *
 * - import: `node dist/src/cli.js import <folder> --json` as a child process into a fresh
 *   KNEECHECK_DATA_DIR; wall time from spawn to exit (Node start-up included), peak RSS and CPU
 *   time from `process.resourceUsage()` in the child (a preloaded module writes them at exit);
 * - decode: the format's importer alone over the files already in memory, in this process.
 *
 * The best round of each is reported, per file and per MB of (uncompressed) file. Exits 1 when an
 * import does not report every file imported.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { IMPORTERS } from '../importers/registry.ts';
import { synthFit } from '../test/support/synth-fit.ts';
import { gpxOf, tcxOf, type XmlRunSpec } from '../test/support/xml-writer.ts';

const FORMATS = ['fit', 'gpx', 'tcx'] as const;
type Format = (typeof FORMATS)[number];
const MB = 1_000_000;
const DAY_MS = 86_400_000;
const NEWEST_RUN_UTC = Date.UTC(2026, 10, 1, 5, 30);
const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

const PRELOAD = `import fs from 'node:fs';
process.on('exit', () => {
  const u = process.resourceUsage();
  fs.writeFileSync(process.env.KNEECHECK_BENCH_USAGE, JSON.stringify({ maxRssKb: u.maxRSS, cpuUs: u.userCPUTime + u.systemCPUTime }));
});
`;

/** Run `i` in each format: one hour at 1 Hz, speed and step rate varying a little between runs. */
function filesOf(i: number): Record<Format, Uint8Array> {
  const start = new Date(NEWEST_RUN_UTC - i * DAY_MS);
  const speedMps = 2.6 + (i % 9) * 0.1;
  const spm = 158 + (i % 13);
  const spec: XmlRunSpec = { start, stretches: [{ durationS: 3600, speedMps, cadence: spm / 2 }] };
  return {
    fit: synthFit({
      start,
      sessions: [{ durationS: 3600, speedMps, stepRateSpm: spm, gps: true }],
    }),
    gpx: new TextEncoder().encode(gpxOf(spec)),
    tcx: new TextEncoder().encode(tcxOf(spec)),
  };
}

interface Measured {
  wallS: number;
  cpuS: number;
  peakRssMB: number;
  decodeS: number;
}

async function importFolder(folder: string, scratch: string, expected: number) {
  const usageFile = path.join(scratch, 'usage.json');
  fs.rmSync(usageFile, { force: true });
  const dataDir = fs.mkdtempSync(path.join(scratch, 'data-'));
  const env = {
    ...process.env,
    KNEECHECK_DATA_DIR: dataDir,
    KNEECHECK_TIMEZONE: 'Europe/Berlin',
    KNEECHECK_BENCH_USAGE: usageFile,
  };
  const started = performance.now();
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((ok, no) => {
    const args = [
      '--import',
      path.join(scratch, 'usage-preload.mjs'),
      CLI,
      'import',
      folder,
      '--json',
    ];
    const child = spawn(process.execPath, args, {
      cwd: scratch,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.once('error', no);
    child.once('close', (c) => ok({ code: c, stdout: Buffer.concat(out).toString('utf8') }));
  });
  const wallS = (performance.now() - started) / 1000;
  const report = JSON.parse(stdout) as { imported: unknown[]; failed: unknown[] };
  if (code !== 0 || report.imported.length !== expected) {
    throw new Error(
      `import of ${folder}: ${report.imported.length} of ${expected} imported, exit ${code}`,
    );
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  const u = JSON.parse(fs.readFileSync(usageFile, 'utf8')) as { maxRssKb: number; cpuUs: number };
  return { wallS, cpuS: u.cpuUs / 1e6, peakRssMB: (u.maxRssKb * 1024) / MB };
}

function decodeAll(format: Format, files: readonly Uint8Array[]): number {
  const importer = IMPORTERS[format];
  const inputs = files.map((bytes) => ({
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  }));
  const started = performance.now();
  for (const input of inputs) {
    const out = importer.read(input, { timezone: 'Europe/Berlin' });
    if (out.kind !== 'runs') throw new Error(`${format} decode: ${JSON.stringify(out)}`);
  }
  return (performance.now() - started) / 1000;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      files: { type: 'string', default: '100' },
      rounds: { type: 'string', default: '3' },
      json: { type: 'boolean', default: false },
    },
  });
  const n = Number(values.files);
  const rounds = Number(values.rounds);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kneecheck-bench-xml-'));
  try {
    fs.writeFileSync(path.join(scratch, 'usage-preload.mjs'), PRELOAD);
    const bytes: Record<Format, Uint8Array[]> = { fit: [], gpx: [], tcx: [] };
    for (const f of FORMATS) fs.mkdirSync(path.join(scratch, f));
    for (let i = 0; i < n; i++) {
      const files = filesOf(i);
      for (const f of FORMATS) {
        bytes[f].push(files[f]);
        fs.writeFileSync(path.join(scratch, f, `run-${i}.${f}`), files[f]);
      }
    }
    const best: Partial<Record<Format, Measured>> = {};
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < FORMATS.length; k++) {
        const f = FORMATS[(k + r) % FORMATS.length] as Format;
        const run = await importFolder(path.join(scratch, f), scratch, n);
        const decodeS = decodeAll(f, bytes[f]);
        const b = best[f];
        best[f] = {
          wallS: Math.min(b?.wallS ?? Infinity, run.wallS),
          cpuS: Math.min(b?.cpuS ?? Infinity, run.cpuS),
          peakRssMB: Math.max(b?.peakRssMB ?? 0, run.peakRssMB),
          decodeS: Math.min(b?.decodeS ?? Infinity, decodeS),
        };
      }
    }
    const rows = FORMATS.map((f) => {
      const m = best[f] as Measured;
      const mb = bytes[f].reduce((s, b) => s + b.length, 0) / MB;
      return {
        format: f,
        files: n,
        mb: Math.round(mb * 10) / 10,
        importMsPerFile: Math.round((m.wallS / n) * 1000 * 100) / 100,
        importMsPerMB: Math.round((m.wallS / mb) * 1000 * 10) / 10,
        importCpuS: Math.round(m.cpuS * 100) / 100,
        peakRssMB: Math.round(m.peakRssMB),
        decodeMsPerFile: Math.round((m.decodeS / n) * 1000 * 100) / 100,
        decodeMBPerS: Math.round((mb / m.decodeS) * 10) / 10,
      };
    });
    if (values.json) console.log(JSON.stringify({ rounds, rows }, null, 2));
    else {
      console.log(
        `GPX/TCX import beside FIT: ${n} one-hour 1 Hz runs per format, best of ${rounds} rounds`,
      );
      for (const r of rows) {
        console.log(
          `  ${r.format.toUpperCase()}: ${r.mb} MB; kneecheck import ${r.importMsPerFile} ms/file, ${r.importMsPerMB} ms/MB ` +
            `(CPU ${r.importCpuS} s, peak RSS ${r.peakRssMB} MB); importer alone ${r.decodeMsPerFile} ms/file, ${r.decodeMBPerS} MB/s`,
        );
      }
    }
    return 0;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  },
);

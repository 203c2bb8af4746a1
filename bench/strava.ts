/**
 * Strava backfill benchmark (`node dist/bench/strava.js [--activities N] [--json]`).
 *
 * Starts the fake Strava (test/support/fake-strava.ts, a real HTTP server on 127.0.0.1) with N
 * generated activities (default 1,000: one a day, 20 % rides and walks), connects through the
 * real OAuth flow into a fresh data folder, then times `syncStrava` (the code behind
 * `kneecheck strava sync`) in this process: the backfill, then an incremental sync. Reports wall
 * time and API requests, split into list pages and streams requests, against the target:
 * at most 1 request per 100 runs of history older than the streams window, plus one streams
 * request per recent run. Exits 1 when a target is missed or a run is missing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/index.ts';
import { silentLogger } from '../src/log.ts';
import { Store } from '../src/store/index.ts';
import { beginConnect, handleOAuthCallback } from '../src/strava/oauth.ts';
import type { StravaDeps } from '../src/strava/session.ts';
import { STREAMS_WINDOW_DAYS, syncStrava } from '../src/strava/sync.ts';
import { FakeStrava } from '../test/support/fake-strava.ts';

const RUN_TYPES = new Set(['Run', 'TrailRun', 'VirtualRun']);
const DAY_MS = 86_400_000;

const { values } = parseArgs({
  options: { activities: { type: 'string', default: '1000' }, json: { type: 'boolean' } },
});
const n = Number(values.activities);

const fake = await FakeStrava.start({ activities: n });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kneecheck-bench-strava-'));
try {
  const config = loadConfig({
    env: { KNEECHECK_DATA_DIR: dataDir, KNEECHECK_TIMEZONE: 'Europe/Berlin', ...fake.env() },
    envFile: path.join(dataDir, 'no.env'),
  });
  const store = Store.open(dataDir);
  const deps: StravaDeps = {
    store,
    config,
    now: () => new Date(),
    log: silentLogger,
    notify: () => Promise.resolve(),
  };
  const { url } = beginConnect(deps, 'http://127.0.0.1:9/strava/callback');
  const back = (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '';
  const connected = await handleOAuthCallback(deps, new URL(back).searchParams);
  if (!connected.ok) throw new Error(connected.message);

  const log0 = fake.log.length;
  const t0 = performance.now();
  const backfill = await syncStrava(deps);
  const backfillMs = performance.now() - t0;
  const requests = fake.log.slice(log0).filter((r) => r.kind === 'api');
  const listCalls = requests.filter((r) => r.path === '/api/v3/athlete/activities').length;
  const streamsCalls = requests.filter((r) => r.path.endsWith('/streams')).length;

  const t1 = performance.now();
  const incremental = await syncStrava(deps);
  const incrementalMs = performance.now() - t1;

  const windowStart = Date.now() - STREAMS_WINDOW_DAYS * DAY_MS;
  const runs = [...fake.activities.values()].filter((a) => RUN_TYPES.has(a.sport_type as string));
  const recentRuns = runs.filter((a) => Date.parse(a.start_date as string) >= windowStart);
  const recentWithStreams = recentRuns.filter((a) => a.manual !== true).length;
  const oldRuns = runs.length - recentRuns.length;
  const stored = store.runs.count();
  store.close();

  const figures = {
    activities: n,
    runsImported: backfill.imported,
    skipped: backfill.skipped.length,
    backfillMs: Math.round(backfillMs),
    apiCalls: backfill.apiCalls,
    listCalls,
    streamsCalls,
    requestsPerImportedRun: backfill.apiCalls / Math.max(1, backfill.imported),
    listCallsPer100OldRuns: (100 * listCalls) / Math.max(1, oldRuns),
    recentRunsWithStreams: recentWithStreams,
    incrementalMs: Math.round(incrementalMs),
    incrementalApiCalls: incremental.apiCalls,
  };
  const ok =
    stored === runs.length &&
    figures.listCallsPer100OldRuns <= 1 &&
    streamsCalls <= recentWithStreams &&
    incremental.apiCalls <= 2;
  if (values.json) {
    console.log(JSON.stringify({ ...figures, ok }, null, 2));
  } else {
    const rows: [string, string, string][] = [
      [
        'activities (runs / skipped)',
        `${n} (${backfill.imported} / ${backfill.skipped.length})`,
        '',
      ],
      ['backfill wall time', `${figures.backfillMs} ms`, ''],
      ['API requests', String(backfill.apiCalls), ''],
      ['  list pages (200 each)', String(listCalls), ''],
      [
        '  streams (runs ≤ 42 days old)',
        `${streamsCalls} of ${recentWithStreams} recent runs`,
        '≤ 1 per recent run',
      ],
      ['requests per imported run', figures.requestsPerImportedRun.toFixed(3), ''],
      ['list requests per 100 older runs', figures.listCallsPer100OldRuns.toFixed(2), '≤ 1'],
      [
        'incremental sync',
        `${incremental.apiCalls} requests, ${figures.incrementalMs} ms`,
        '≤ 2 requests',
      ],
    ];
    const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
    console.log(`Strava backfill benchmark (fake Strava on 127.0.0.1, ${n} activities)\n`);
    console.log(['measure'.padEnd(w[0] ?? 0), 'value'.padEnd(w[1] ?? 0), 'target'].join('  '));
    for (const r of rows)
      console.log(
        r
          .map((c, i) => c.padEnd(w[i] ?? 0))
          .join('  ')
          .trimEnd(),
      );
    console.log(ok ? '\nall targets met' : '\nTARGET MISSED');
  }
  process.exitCode = ok ? 0 : 1;
} finally {
  await fake.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

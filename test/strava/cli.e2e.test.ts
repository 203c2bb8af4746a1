import fs from 'node:fs';
import path from 'node:path';
import { IANAZone } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/model.ts';
import { Store } from '../../src/store/index.ts';
import type { SyncResult } from '../../src/strava/sync.ts';
import { runCli, spawnCli, type CliResult } from '../support/cli.ts';
import { FakeStrava, type Json } from '../support/fake-strava.ts';
import { tempDir } from '../support/paths.ts';
import { simpleRun } from '../support/synth-fit.ts';

/** Every stdout and stderr of the CLI in this file, scanned for secrets at the end. */
const outputs: string[] = [];

async function cli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const r = await runCli(args, env);
  outputs.push(r.stdout, r.stderr);
  return r;
}

/**
 * Runs `strava connect` as a child process the way a runner would: reads the authorize URL it
 * prints, opens it (the fake approves at once and redirects to the printed loopback callback),
 * and waits for the command to finish.
 */
function connectViaCli(env: Record<string, string>): Promise<CliResult & { url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(['strava', 'connect', '--no-browser'], env);
    let stdout = '';
    let stderr = '';
    let url = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+)/.exec(stdout);
      if (m?.[1] && !url) {
        url = m[1];
        // The browser's part: follow the authorize page's redirect to the loopback callback.
        fetch(url).then(
          (res) => res.text(),
          (e: unknown) => reject(e as Error),
        );
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      outputs.push(stdout, stderr);
      resolve({ code, stdout, stderr, url });
    });
  });
}

describe('kneecheck strava, end to end against a fake Strava with 1,000 activities', () => {
  let fake: FakeStrava;
  let env: Record<string, string>;
  let dataDir: string;
  let fitRunStart: Date;

  beforeAll(async () => {
    fake = await FakeStrava.start({ activities: 1000 });
    dataDir = tempDir('kneecheck-strava-e2e-');
    env = { KNEECHECK_DATA_DIR: dataDir, ...fake.env() };
    // A FIT file of a recent Strava run (same start and distance): import it first.
    const run = [...fake.activities.values()]
      .filter((a) => a.sport_type === 'Run' && a.manual === false && a.trainer === false)
      .at(-3) as Json;
    fitRunStart = new Date(run.start_date as string);
    const file = path.join(tempDir(), 'watch.fit');
    fs.writeFileSync(
      file,
      simpleRun(fitRunStart, {
        km: (run.distance as number) / 1000,
        speedMps: run.average_speed as number,
        offsetMin: IANAZone.create('Europe/Berlin').offset(fitRunStart.getTime()),
      }),
    );
    const imported = await cli(['import', file, '--json'], env);
    expect(imported.code).toBe(0);
  });
  afterAll(() => fake.close());

  // One runner's session, step by step: each step needs the one before (connected before a
  // sync, a first sync before the second, ...), so they run as one test, in this order, and a
  // failure names its step; no test depends on another having run first.
  const steps: [string, () => unknown][] = [];
  const step = (name: string, fn: () => unknown): void => {
    steps.push([name, fn]);
  };

  step(
    'strava connect prints the authorize URL, takes the callback and names the athlete',
    async () => {
      const r = await connectViaCli(env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const url = new URL(r.url);
      expect(url.origin + url.pathname).toBe(`${fake.oauthUrl}/authorize`);
      expect(Object.fromEntries(url.searchParams)).toMatchObject({
        client_id: fake.clientId,
        response_type: 'code',
        approval_prompt: 'auto',
        scope: 'activity:read_all',
      });
      expect(url.searchParams.get('redirect_uri')).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/strava\/callback$/,
      );
      expect(url.searchParams.get('state')).toMatch(/^[0-9a-f]{32}$/);
      expect(r.stdout).toContain('Connected to Strava as Sam Beginner (athlete 98765432)');
      const mode = fs.statSync(path.join(dataDir, 'strava-tokens.json')).mode & 0o777;
      expect(mode).toBe(0o600);
    },
  );

  step(
    'strava sync --json imports every run once, skips rides and walks, counts its API calls',
    async () => {
      const before = fake.apiCalls;
      const r = await cli(['strava', 'sync', '--json'], env);
      expect(r.code).toBe(0);
      const result = JSON.parse(r.stdout) as SyncResult;
      const all = [...fake.activities.values()];
      const runs = all.filter((a) =>
        ['Run', 'TrailRun', 'VirtualRun'].includes(a.sport_type as string),
      );
      expect(result.complete).toBe(true);
      // The run from the FIT file is merged, every other run imported.
      expect(result.merged).toBe(1);
      expect(result.imported).toBe(runs.length - 1);
      expect(result.skipped).toHaveLength(all.length - runs.length);
      expect(new Set(result.skipped.map((s) => s.reason))).toEqual(
        new Set(['not a run (Ride)', 'not a run (Walk)']),
      );
      expect(result.apiCalls).toBe(fake.apiCalls - before);
      expect(result.rateLimit?.read).toMatchObject({ limit15min: 100, limitDaily: 1000 });

      const stored = JSON.parse((await cli(['runs', '--json'], env)).stdout) as Run[];
      expect(stored).toHaveLength(runs.length);
      expect(new Set(stored.map((s) => s.id)).size).toBe(runs.length);
      const merged = stored.find((s) => s.sources.length === 2);
      expect(merged?.source).toBe('fit');
      expect(merged?.sources.map((s) => s.source)).toEqual(['fit', 'strava']);
      expect(Date.parse(merged?.startTime ?? '')).toBe(fitRunStart.getTime());
    },
  );

  step('a second sync makes at most 2 calls and imports nothing', async () => {
    const r = await cli(['strava', 'sync', '--json'], env);
    const result = JSON.parse(r.stdout) as SyncResult;
    expect(result).toMatchObject({ imported: 0, merged: 0, updated: 0, deleted: 0, skipped: [] });
    expect(result.apiCalls).toBeLessThanOrEqual(2);
  });

  step('strava status shows the athlete, scopes, last sync and rate-limit usage', async () => {
    const human = await cli(['strava', 'status'], env);
    expect(human.stdout).toContain('connected as Sam Beginner');
    expect(human.stdout).toContain('Rate limit');
    const json = JSON.parse((await cli(['strava', 'status', '--json'], env)).stdout) as Json;
    expect(json).toMatchObject({
      connected: true,
      athlete: { id: 98765432, name: 'Sam Beginner' },
      scope: ['read', 'activity:read_all'],
      backfillComplete: true,
    });
    expect(json.lastSyncAt).toEqual(expect.any(String));
    expect(json.rateLimit).toEqual(expect.objectContaining({ read: expect.any(Object) }));
  });

  step(
    'strava disconnect deletes the tokens and the Strava-only runs; the FIT run stays',
    async () => {
      const r = await cli(['strava', 'disconnect'], env);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Disconnected from Strava');
      expect(fs.existsSync(path.join(dataDir, 'strava-tokens.json'))).toBe(false);
      const stored = JSON.parse((await cli(['runs', '--json'], env)).stdout) as Run[];
      expect(stored).toHaveLength(1);
      expect(stored[0]?.sources).toEqual([{ source: 'fit', sourceId: stored[0]?.sourceId }]);
      const status = await cli(['strava', 'sync'], env);
      expect(status.code).toBe(2);
      expect(status.stderr).toContain('not connected to Strava');
    },
  );

  step('no token or secret appears in any output', () => {
    expect(outputs.length).toBeGreaterThan(10);
    const text = outputs.join('\n');
    for (const secret of fake.secrets()) expect(text).not.toContain(secret);
  });
  it('connect, sync, sync again, status, disconnect: one session, in order', async () => {
    for (const [name, fn] of steps) {
      try {
        await fn();
      } catch (e) {
        if (e instanceof Error) e.message = `step "${name}": ${e.message}`;
        throw e;
      }
    }
  }, 240_000);
});

describe('kneecheck strava sync after a 429 mid-backfill', () => {
  it('stops cleanly with progress saved; the next sync finishes with nothing twice', async () => {
    const fake = await FakeStrava.start({ activities: 600 });
    try {
      const dataDir = tempDir('kneecheck-strava-429-');
      const env = { KNEECHECK_DATA_DIR: dataDir, ...fake.env() };
      expect((await connectViaCli(env)).code).toBe(0);
      // The first list page (200 activities) and one streams request go through, then 429s.
      fake.inject429(1000, 2);
      const r1 = await cli(['strava', 'sync', '--json', '--max-wait', '0'], env);
      fake.inject429(0);
      const res1 = JSON.parse(r1.stdout) as SyncResult;
      expect(r1.code).toBe(0);
      expect(res1.complete).toBe(false);
      expect(res1.stopped?.resumeAfter).toEqual(expect.any(String));
      expect(res1.imported).toBeGreaterThan(0);

      // 15 minutes later: Strava's window and the saved usage have turned.
      fake.resetRateWindow();
      ageSavedRateLimit(dataDir);
      const r2 = await cli(['strava', 'sync', '--json', '--max-wait', '0'], env);
      const res2 = JSON.parse(r2.stdout) as SyncResult;
      expect(res2.complete).toBe(true);
      const runs = [...fake.activities.values()].filter((a) =>
        ['Run', 'TrailRun', 'VirtualRun'].includes(a.sport_type as string),
      );
      expect(res1.imported + res2.imported).toBe(runs.length);
      const stored = JSON.parse((await cli(['runs', '--json'], env)).stdout) as Run[];
      expect(stored).toHaveLength(runs.length);
      for (const secret of fake.secrets()) expect(outputs.join('\n')).not.toContain(secret);
    } finally {
      await fake.close();
    }
  });
});

/** Moves the saved rate-limit reading back into an earlier 15-minute window. */
function ageSavedRateLimit(dataDir: string): void {
  const store = Store.open(dataDir);
  try {
    const s = store.settings.get<{ at: string }>('strava.rateLimit');
    if (s)
      store.settings.set(
        'strava.rateLimit',
        { ...s, at: new Date(Date.now() - 20 * 60_000).toISOString() },
        new Date().toISOString(),
      );
  } finally {
    store.close();
  }
}

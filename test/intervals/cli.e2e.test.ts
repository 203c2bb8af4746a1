import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { FakeIntervals, runsOf } from '../support/fake-intervals.ts';
import { tempDir } from '../support/paths.ts';

let fake: FakeIntervals | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const envOf = (f: FakeIntervals, data: string) => ({ KNEECHECK_DATA_DIR: data, ...f.env() });

describe('kneecheck intervals (the built CLI against a fake intervals.icu)', () => {
  it('connect with a bad key says what to check, exits 2 and stores nothing; a good key is stored 0600 and never printed', async () => {
    fake = await FakeIntervals.start();
    const data = tempDir('kneecheck-intervals-cli-');
    const env = envOf(fake, data);
    const bad = await runCli(['intervals', 'connect', '--api-key', 'wrong-key-0123456789'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/refused the API key/);
    expect(bad.stderr).toMatch(/Settings → Developer settings/);
    expect(bad.stderr + bad.stdout).not.toContain('wrong-key-0123456789');
    expect(fs.existsSync(path.join(data, 'intervals-key.json'))).toBe(false);

    const noKey = await runCli(['intervals', 'connect'], env);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/--api-key/);

    const good = await runCli(['intervals', 'connect', '--api-key', fake.apiKey], env);
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
    expect(good.stdout).toContain(`athlete ${fake.athleteId}`);
    const file = path.join(data, 'intervals-key.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // Exactly one request checked the key.
    expect(fake.calls('athlete').filter((r) => r.authorized)).toHaveLength(1);

    const status = await runCli(['intervals', 'status', '--json'], env);
    expect(JSON.parse(status.stdout)).toMatchObject({
      connected: true,
      athlete: { id: fake.athleteId, name: 'Jo Runner' },
    });
    const human = await runCli(['intervals', 'status'], env);
    for (const out of [good.stdout, good.stderr, status.stdout, human.stdout, human.stderr]) {
      expect(out).not.toContain(fake.apiKey);
    }
  });

  it('sync --json imports a year of runs once within the call budget; a second sync makes no new run; stubs are said once', async () => {
    fake = await FakeIntervals.year(365);
    const data = tempDir('kneecheck-intervals-cli-');
    const env = envOf(fake, data);
    expect((await runCli(['intervals', 'connect', '--api-key', fake.apiKey], env)).code).toBe(0);
    const specs = [...fake.activities.values()];
    const stubs = specs.filter((s) => s.source === 'STRAVA');
    const before = fake.log.length;
    const first = await runCli(['intervals', 'sync', '--json'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const r = JSON.parse(first.stdout) as {
      imported: number;
      updated: number;
      deleted: number;
      skipped: { activityId: string; reason: string }[];
      apiCalls: number;
    };
    expect(r.imported).toBe(runsOf(specs).length);
    expect(r.apiCalls).toBe(fake.log.length - before);
    expect(r.apiCalls).toBeLessThanOrEqual(specs.length + Math.ceil(specs.length / 100));
    expect(r.skipped.map((s) => s.activityId).sort()).toEqual(
      specs
        .filter((s) => s.source === 'STRAVA' || !/Run$/.test(s.type))
        .map((s) => s.id)
        .sort(),
    );

    const runs = JSON.parse((await runCli(['runs', '--json', '--limit', '1000'], env)).stdout) as {
      id: string;
      source: string;
    }[];
    expect(runs).toHaveLength(runsOf(specs).length);
    expect(new Set(runs.map((x) => x.id)).size).toBe(runs.length);
    expect(runs.every((x) => x.source === 'intervals')).toBe(true);

    const second = await runCli(['intervals', 'sync'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/0 runs imported/);
    // Known stubs are not said again; `status` says it once, as a count.
    expect(second.stdout).not.toMatch(/from Strava/);
    const status = await runCli(['intervals', 'status'], env);
    const said = status.stdout.split('\n').filter((l) => /from Strava/.test(l));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(`${stubs.length} activities`);
    for (const s of stubs) expect(status.stdout + second.stdout).not.toContain(s.id);
    for (const out of [first.stdout, second.stdout, status.stdout]) {
      expect(out).not.toContain(fake.apiKey);
    }

    // Disconnect deletes the key; the runs stay unless asked.
    const off = await runCli(['intervals', 'disconnect', '--json'], env);
    expect(JSON.parse(off.stdout)).toEqual({ keyDeleted: true, runsDeleted: 0, sourcesRemoved: 0 });
    expect(fs.existsSync(path.join(data, 'intervals-key.json'))).toBe(false);
    const notConnected = await runCli(['intervals', 'sync'], env);
    expect(notConnected.code).toBe(2);
    expect(notConnected.stderr).toMatch(/kneecheck intervals connect/);
    const purge = await runCli(['intervals', 'disconnect', '--delete-runs', '--json'], env);
    expect(JSON.parse(purge.stdout)).toMatchObject({ runsDeleted: runsOf(specs).length });
    const left = JSON.parse((await runCli(['runs', '--json'], env)).stdout) as unknown[];
    expect(left).toEqual([]);
  });
});

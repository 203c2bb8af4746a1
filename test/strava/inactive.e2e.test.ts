import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/model.ts';
import { readTokens } from '../../src/strava/tokens.ts';
import { runCli } from '../support/cli.ts';
import { FakeStrava } from '../support/fake-strava.ts';
import { connect, makeDeps } from './helpers.ts';

describe('kneecheck strava against an inactive application, then disconnect through oauth/revoke', () => {
  let fake: FakeStrava;
  let env: Record<string, string>;
  let dataDir: string;
  let runs: number;

  beforeAll(async () => {
    fake = await FakeStrava.start({ activities: 10 });
    const deps = makeDeps(fake);
    dataDir = deps.dataDir;
    env = { KNEECHECK_DATA_DIR: dataDir, ...fake.env() };
    expect((await connect(deps)).ok).toBe(true);
    deps.store.close();
    const first = await runCli(['strava', 'sync', '--json'], env);
    expect(first.code).toBe(0);
    runs = (JSON.parse((await runCli(['runs', '--json'], env)).stdout) as Run[]).length;
    expect(runs).toBeGreaterThan(0);
  });
  afterAll(() => fake.close());

  it('strava sync exits 2 with one plain sentence and deletes nothing; status shows it', async () => {
    fake.inactive = true;
    const r = await runCli(['strava', 'sync'], env);
    expect(r.code).toBe(2);
    const said = r.stderr.trim().split('\n');
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(
      /^kneecheck: the Strava API application kneecheck uses is inactive because its owner has no active Strava subscription/,
    );
    expect(said[0]).toContain('`kneecheck intervals connect`');
    expect(said[0]).toContain('your local data is untouched');
    const after = JSON.parse((await runCli(['runs', '--json'], env)).stdout) as Run[];
    expect(after).toHaveLength(runs);
    expect(fs.existsSync(path.join(dataDir, 'strava-tokens.json'))).toBe(true);

    const status = await runCli(['strava', 'status'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/Refused since .*: the Strava API application .* is inactive/);
    const json = JSON.parse((await runCli(['strava', 'status', '--json'], env)).stdout) as {
      applicationInactive: { since: string; message: string } | null;
    };
    expect(json.applicationInactive?.message).toContain('no active Strava subscription');
  });

  it('strava disconnect revokes with POST oauth/revoke (Basic client credentials, token in the body)', async () => {
    fake.inactive = false;
    const held = readTokens(dataDir);
    expect(held).not.toBeNull();
    const before = fake.log.length;
    const r = await runCli(['strava', 'disconnect', '--json'], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ deauthorized: true });
    const calls = fake.log.slice(before).filter((x) => x.kind === 'oauth');
    expect(calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      'POST /oauth/revoke 200',
    ]);
    // Strava now refuses the old token.
    const res = await fetch(`${fake.apiUrl}/athlete`, {
      headers: { Authorization: `Bearer ${held?.accessToken ?? ''}` },
    });
    expect(res.status).toBe(401);
    expect(fs.existsSync(path.join(dataDir, 'strava-tokens.json'))).toBe(false);
    // The inactive note went with the connection.
    const json = JSON.parse((await runCli(['strava', 'status', '--json'], env)).stdout) as {
      applicationInactive: unknown;
    };
    expect(json.applicationInactive).toBeNull();
  });
});

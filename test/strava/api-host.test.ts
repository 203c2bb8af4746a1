import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { syncStrava } from '../../src/strava/sync.ts';
import { FakeStrava } from '../support/fake-strava.ts';
import { connect, makeDeps } from './helpers.ts';

const fakes: FakeStrava[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

describe('STRAVA_API_URL, the override for the API host Strava announced for 2027-01-04', () => {
  it('keeps www.strava.com/api/v3 as the default (the new name is not verified from here)', () => {
    const config = loadConfig({ env: {}, envFile: '/nonexistent/.env' });
    expect(config.strava.apiUrl).toBe('https://www.strava.com/api/v3');
  });

  it('works with an API served at the root of a host, as the new one is', async () => {
    const fake = await FakeStrava.start({ activities: 6, apiPrefix: '' });
    fakes.push(fake);
    const deps = makeDeps(fake);
    expect(deps.config.strava.apiUrl).toBe(fake.url);
    expect((await connect(deps)).ok).toBe(true);
    const result = await syncStrava(deps);
    expect(result.complete).toBe(true);
    expect(result.imported).toBeGreaterThan(0);
    const apiPaths = fake.log.filter((r) => r.kind === 'api').map((r) => r.path);
    expect(apiPaths).toContain('/athlete/activities');
    expect(apiPaths.every((p) => !p.startsWith('/api/v3'))).toBe(true);
    expect(fake.log.every((r) => r.status < 400)).toBe(true);
  });
});

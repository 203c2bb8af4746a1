import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { ConfigError } from '../../src/errors.ts';
import { tempDir } from '../support/paths.ts';

const load = (env: Record<string, string>) =>
  loadConfig({ env: { KNEECHECK_DATA_DIR: tempDir(), ...env }, envFile: '/nonexistent/.env' });

describe('intervals.icu settings', () => {
  it("default to intervals.icu's address and a sync every 15 minutes", () => {
    expect(load({}).intervals).toEqual({
      apiUrl: 'https://intervals.icu',
      syncCron: '*/15 * * * *',
    });
    expect(
      load({ INTERVALS_API_URL: 'http://127.0.0.1:9/', INTERVALS_SYNC_CRON: '0 * * * *' })
        .intervals,
    ).toEqual({ apiUrl: 'http://127.0.0.1:9/', syncCron: '0 * * * *' });
  });

  it('a wrong value stops with the variable named and the form expected', () => {
    for (const [name, value, expected] of [
      ['INTERVALS_SYNC_CRON', 'every 15 minutes', /cron expression/],
      ['INTERVALS_API_URL', 'intervals.icu', /http\(s\) URL/],
    ] as const) {
      let caught: unknown;
      try {
        load({ [name]: value });
      } catch (e) {
        caught = e;
      }
      expect(caught, name).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).variable).toBe(name);
      expect((caught as ConfigError).message).toMatch(expected);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { Store } from '../src/store/index.ts';
import { createApp } from '../src/web/app.ts';
import { loadConfig } from '../src/config/index.ts';
import { silentLogger } from '../src/log.ts';
import { runCli } from './support/cli.ts';
import { tempDir } from './support/paths.ts';

const HUGE = ['99999999999999999999', '1e20', '100001', '0', '-1', '1.5', '0x10', ' '];

describe('numbers given to kneecheck are bounded', () => {
  it('GET /api/runs?limit= out of range is a 400 that gives the allowed range', async () => {
    const dataDir = tempDir();
    const config = loadConfig({ env: { KNEECHECK_DATA_DIR: dataDir }, envFile: '/nonexistent' });
    const store = Store.open(dataDir);
    try {
      const app = createApp({ store, config, now: () => new Date(), log: silentLogger });
      for (const limit of HUGE) {
        const res = await app.request(`/api/runs?limit=${encodeURIComponent(limit)}`);
        expect(res.status, limit).toBe(400);
        expect(((await res.json()) as { error: string }).error, limit).toContain(
          'limit: expected a whole number of runs from 1 to 100000',
        );
      }
      expect((await app.request('/api/runs?limit=100000')).status).toBe(200);
      expect((await app.request('/api/runs?limit=1')).status).toBe(200);
    } finally {
      store.close();
    }
  });

  it('runs --limit out of range exits 2 with the allowed range, no stack trace', async () => {
    const env = { KNEECHECK_DATA_DIR: tempDir() };
    for (const limit of ['99999999999999999999', '1e20', '0']) {
      const res = await runCli(['runs', '--limit', limit], env);
      expect(res.code, limit).toBe(2);
      expect(res.stderr, limit).toContain(
        '--limit: expected a whole number of runs from 1 to 100000',
      );
      expect(res.stderr, limit).not.toMatch(/SqliteError|unexpected error|\n\s+at /);
    }
    expect((await runCli(['runs', '--limit', '5'], env)).code).toBe(0);
  });

  it('every numeric flag says its range when given nonsense', async () => {
    const env = { KNEECHECK_DATA_DIR: tempDir() };
    const cases: [string[], string][] = [
      [['import', '--workers', '1e20', '.'], 'a whole number of decoder threads from 1 to 64'],
      [['strava', 'connect', '--port', '70000'], 'a port number from 0 to 65535'],
      [['strava', 'connect', '--timeout', '99999999999999999999'], 'from 1 to 86400'],
      [['strava', 'sync', '--max-wait', '-5'], 'a whole number of minutes from 0 to 1440'],
      [['report', '--weeks', '1e20'], 'from 1 to 520'],
    ];
    for (const [args, range] of cases) {
      const res = await runCli(args, env);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr, args.join(' ')).toContain(range);
      expect(res.stderr, args.join(' ')).not.toMatch(/unexpected error|\n\s+at /);
    }
  });
});

import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportedRun, Run, RunId } from '../../src/model.ts';
import { SCHEMA_VERSION, openDb } from '../../src/store/db.ts';
import { DB_FILE_NAME, Store } from '../../src/store/index.ts';
import { tempDir } from '../support/paths.ts';
import { withDbFile } from '../support/sqlite.ts';

const NOW = '2026-11-25T12:00:00.000Z';
function run(over: Partial<Run> = {}): ImportedRun {
  const id = (over.id ?? 'fit:aaaaaaaaaaaa') as RunId;
  return {
    run: {
      id,
      source: 'fit',
      sourceId: id.slice(4).padEnd(64, '0'),
      sources: [],
      startTime: '2026-11-20T07:00:00+01:00',
      timezone: 'Europe/Berlin',
      sport: 'running',
      subSport: null,
      distanceM: 5000,
      movingTimeS: 1800,
      elapsedTimeS: 1850,
      avgSpeedMps: 2.78,
      avgCadenceSpm: 164,
      avgStepLengthM: 1.02,
      avgHeartRateBpm: null,
      device: 'garmin fr55',
      gearId: null,
      partial: false,
      excluded: null,
      warnings: [],
      ...over,
    },
    form: {
      speedBins: [{ fromMps: 2.75, seconds: 1800, avgSpeedMps: 2.78, avgCadenceSpm: 164 }],
      firstFifthCadenceSpm: 166,
      lastFifthCadenceSpm: 160,
      firstFifthSpeedMps: 2.8,
      lastFifthSpeedMps: 2.75,
      deviceStepLengthM: null,
      sampleCount: 1801,
    },
  };
}

describe('the SQLite store', () => {
  it('creates a WAL database at the latest schema version, and reopens it unchanged', () => {
    const dir = tempDir();
    Store.open(dir).close();
    const store = Store.open(dir);
    withDbFile(dir, (db) => {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    });
    store.close();
  });

  it("sets every connection's pragmas: WAL, a 30 s wait for the lock, foreign keys", () => {
    const db = openDb(path.join(tempDir(), 'kneecheck.sqlite'));
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('busy_timeout', { simple: true })).toBe(30_000);
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      db.close();
    }
  });

  it('round-trips a run with null fields as null, and its form summary', () => {
    const store = Store.open(tempDir());
    const saved = store.saveRun(run(), 'f'.repeat(64), NOW);
    expect(saved.status).toBe('imported');
    const back = store.runs.get('fit:aaaaaaaaaaaa' as RunId);
    expect(back?.avgHeartRateBpm).toBeNull();
    expect(back?.gearId).toBeNull();
    expect(back?.startTime).toBe('2026-11-20T07:00:00+01:00');
    expect(back?.sources).toEqual([{ source: 'fit', sourceId: run().run.sourceId }]);
    expect(store.runs.getForm('fit:aaaaaaaaaaaa' as RunId)?.lastFifthCadenceSpm).toBe(160);
    expect(store.runs.getForm('fit:aaaaaaaaaaaa' as RunId)?.lastFifthSpeedMps).toBe(2.75);
    store.close();
  });

  it('keeps the Strava record as a second source of a FIT run, with the FIT data winning', () => {
    const store = Store.open(tempDir());
    store.saveRun(run(), null, NOW);
    const strava = run({
      id: 'strava:42' as RunId,
      source: 'strava',
      sourceId: '42',
      startTime: '2026-11-20T07:00:20+01:00',
      distanceM: 5050,
      device: 'Strava App',
      avgHeartRateBpm: 150,
    });
    expect(store.saveRun(strava, null, NOW)).toEqual({
      status: 'duplicate',
      of: 'fit:aaaaaaaaaaaa',
    });
    const merged = store.runs.get('fit:aaaaaaaaaaaa' as RunId);
    expect(merged?.device).toBe('garmin fr55');
    expect(merged?.sources.map((s) => s.source)).toEqual(['fit', 'strava']);
  });

  it('keeps its data on disk for another connection to see', () => {
    const dir = tempDir();
    const store = Store.open(dir);
    store.batch(() => store.saveRun(run(), null, NOW));
    const other = new Database(path.join(dir, DB_FILE_NAME), { readonly: true });
    expect((other.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n).toBe(1);
    other.close();
    store.close();
  });
});

describe('a database from a newer kneecheck', () => {
  it('is refused with a message saying so, not altered', () => {
    const dir = tempDir();
    Store.open(dir).close();
    const raw = new Database(path.join(dir, DB_FILE_NAME));
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => Store.open(dir)).toThrow(/written by a newer kneecheck/);
  });
});

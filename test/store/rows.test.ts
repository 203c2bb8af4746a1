import { describe, expect, it } from 'vitest';
import { NO_KNEE_FLAGS, type KneeCheck } from '../../src/model.ts';
import { Store } from '../../src/store/index.ts';
import { RowShapeError, text } from '../../src/store/rows.ts';
import { tempDir } from '../support/paths.ts';
import { withDbFile } from '../support/sqlite.ts';

const NOW = '2026-11-25T12:00:00.000Z';
const CHECK: Omit<KneeCheck, 'id'> = {
  runId: null,
  checkedAt: NOW,
  pain: 2,
  where: ['front'],
  knee: 'left',
  via: 'cli',
  ...NO_KNEE_FLAGS,
  note: null,
  painRange: null,
  walkOk: null,
  squatOk: null,
  stairsOk: null,
};

/** A data folder holding one check, changed afterwards with `sql` by another program. */
function changedOutside(sql: string): string {
  const dir = tempDir();
  const store = Store.open(dir);
  store.checks.add(CHECK);
  store.settings.set('topic', 'kneecheck-abc', NOW);
  store.close();
  withDbFile(dir, (db) => db.exec(sql));
  return dir;
}

describe('rows read back from the database', () => {
  it('come back as they were stored', () => {
    const store = Store.open(changedOutside('SELECT 1'));
    try {
      expect(store.checks.list()).toEqual([{ ...CHECK, id: 1 }]);
      expect(store.settings.read('topic', text)).toBe('kneecheck-abc');
      expect(store.settings.read('absent', text)).toBeNull();
    } finally {
      store.close();
    }
  });

  it('that another program changed into another shape fail, naming the table, column and value', () => {
    const store = Store.open(changedOutside(`UPDATE checks SET swelling = 'yes'`));
    try {
      expect(() => store.checks.list()).toThrow(RowShapeError);
      expect(() => store.checks.list()).toThrow(
        /kneecheck\.sqlite: checks\.swelling: expected 0 or 1, got "yes"; .*restore a backup/,
      );
    } finally {
      store.close();
    }
  });

  it('with a JSON column that is not JSON, or not the list it should be, fail the same way', () => {
    const broken = Store.open(changedOutside(`UPDATE checks SET locations = 'front,'`));
    const wrong = Store.open(changedOutside(`UPDATE checks SET locations = '["knee"]'`));
    try {
      expect(() => broken.checks.get(1)).toThrow(/checks\.locations: expected JSON, got "front,"/);
      expect(() => wrong.checks.get(1)).toThrow(
        /checks\.locations: expected one of front, inside, outside, back, got "knee"/,
      );
    } finally {
      broken.close();
      wrong.close();
    }
  });

  it('a setting of another shape than its reader expects fails, naming the setting', () => {
    const store = Store.open(
      changedOutside(`UPDATE settings SET value = '42' WHERE key = 'topic'`),
    );
    try {
      expect(() => store.settings.read('topic', text)).toThrow(
        /settings "topic": expected text, got 42/,
      );
    } finally {
      store.close();
    }
  });
});

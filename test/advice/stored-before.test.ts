import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adviceInput, loadHistory, reportOf } from '../../src/history.ts';
import { advise } from '../../src/advice/advise.ts';
import { DEFAULT_THRESHOLDS } from '../../src/advice/thresholds.ts';
import { Store } from '../../src/store/index.ts';
import { tempDir } from '../support/paths.ts';
import { history, weekly } from './scenario.ts';

const NOW = '2026-11-25T18:00:00Z';
const config = {
  timezone: 'Europe/Berlin',
  units: 'metric' as const,
  thresholds: DEFAULT_THRESHOLDS,
};

describe('records stored before imports were checked for impossible values', () => {
  it('keep a 42,949 km run and a doubled step rate out of the report and the advice', () => {
    const dir = tempDir();
    fs.mkdirSync(dir, { recursive: true });
    const store = Store.open(path.join(dir));
    try {
      const { runs, forms } = history(weekly(NOW, 4, 4));
      const now = '2026-11-01T00:00:00Z';
      // Written straight into the table, as an older kneecheck would have stored them.
      for (const r of runs) store.runs.insert(r, null, now);
      const last = runs.at(-1);
      if (!last) throw new Error('no runs');
      store.runs.replace(last.id, { ...last, distanceM: 42_949_000, avgCadenceSpm: 332 }, now);
      for (const [id, f] of forms) store.runs.putForm(id, last, f);
      const h = loadHistory(store, new Date(NOW));
      const report = reportOf(h, config, new Date(NOW), 4);
      expect(Math.max(...report.weeks.map((w) => w.distanceM))).toBeLessThanOrEqual(12_000);
      const a = advise(adviceInput(h, config, new Date(NOW)));
      expect(JSON.stringify(a)).not.toMatch(/42\s?949|\b3\d\d steps/);
      expect(a.level).not.toBe('ease-off');
    } finally {
      store.close();
    }
  });
});

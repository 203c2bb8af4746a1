import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { tempDir } from '../support/paths.ts';

/** Issue 27 item 6: a new data folder opened by several processes at once. */
describe('several kneecheck processes started together on a new data folder', () => {
  it('all succeed, 2, 4 and 8 at a time, with one database made once', async () => {
    for (const n of [2, 4, 8, 8]) {
      const dataDir = tempDir('kneecheck-open-race-');
      const results = await Promise.all(
        Array.from({ length: n }, () =>
          runCli(['runs', '--json'], { KNEECHECK_DATA_DIR: dataDir }),
        ),
      );
      for (const r of results) {
        expect(r.stderr, `${n} at once`).not.toMatch(/locked|busy/i);
        expect(r.code, `${n} at once: ${r.stderr}`).toBe(0);
        expect(JSON.parse(r.stdout)).toEqual([]);
      }
    }
  });
});

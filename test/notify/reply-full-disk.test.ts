import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { smallDisk, type SmallDisk } from '../support/damage.ts';
import { answerLoop, prompt, type Loop } from './reply-harness.ts';

let loop: Loop | undefined;
afterEach(() => loop?.close());

const disk = smallDisk(4096);
const why = typeof disk === 'string' ? ` (skipped: ${disk})` : '';
afterAll(() => {
  if (typeof disk !== 'string') disk.unmount();
});

describe('an answer from the phone while the disk is full (issue 21 item 5)', () => {
  it.skipIf(why !== '')(
    `is not lost: it waits, said once, and is stored once there is room${why}`,
    async () => {
      const d = disk as SmallDisk;
      loop = await answerLoop({ KNEECHECK_DATA_DIR: path.join(d.dir, 'data') });
      const l = loop;
      const run = l.runs[1];
      await prompt(l, run);
      d.fill();
      const tapped = l.tap('No pain', 1);
      // The subscriber reads the answer and the database refuses it: said once, nothing stored.
      await expect
        .poll(() => l.logs(), { timeout: 20_000 })
        .toMatch(/an answer from the phone waits/);
      expect(l.store.checks.forRun(run?.id ?? ('' as never))).toHaveLength(0);
      d.free();
      await tapped;
      const checks = l.store.checks.forRun(run?.id ?? ('' as never));
      expect(checks).toHaveLength(1);
      expect(checks[0]).toMatchObject({ pain: 0, via: 'notification' });
      expect(l.logs().match(/an answer from the phone waits/g)).toHaveLength(1);
    },
  );
});

import { loadConfig } from '../../src/config/index.ts';
import { silentLogger, type Logger } from '../../src/log.ts';
import type { Run } from '../../src/model.ts';
import { Store } from '../../src/store/index.ts';
import type { IntervalsDeps } from '../../src/intervals/deps.ts';
import { connectIntervals } from '../../src/intervals/connect.ts';
import type { FakeIntervals } from '../support/fake-intervals.ts';
import { tempDir } from '../support/paths.ts';

export interface TestDeps extends IntervalsDeps {
  /** Runs handed to the notifier, per call. */
  notified: Run[][];
  dataDir: string;
}

/** Deps for in-process calls against `fake`, in a fresh data folder; waits are not slept. */
export function makeDeps(
  fake: FakeIntervals,
  opts: { log?: Logger; dataDir?: string; now?: () => Date } = {},
): TestDeps {
  const dataDir = opts.dataDir ?? tempDir('kneecheck-intervals-');
  const config = loadConfig({
    env: { KNEECHECK_DATA_DIR: dataDir, KNEECHECK_TIMEZONE: 'Europe/Berlin', ...fake.env() },
    envFile: '/nonexistent/.env',
  });
  const notified: Run[][] = [];
  const slept: number[] = [];
  return {
    store: Store.open(dataDir),
    config,
    now: opts.now ?? (() => new Date()),
    log: opts.log ?? silentLogger,
    backoffMs: 1,
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
    notify: (runs) => {
      notified.push([...runs]);
      return Promise.resolve();
    },
    notified,
    dataDir,
  };
}

/** Connects `deps` to `fake` with its key. */
export const connect = (deps: IntervalsDeps, fake: FakeIntervals) =>
  connectIntervals(deps, { athleteId: '0', apiKey: fake.apiKey });

/**
 * The answer loop in one process: a real store in a temp folder, real runs from FIT bytes, the
 * notifier, the reply subscriber, and an ntfy-like server on 127.0.0.1 (test/support/fake-ntfy.ts)
 * standing in for ntfy.sh and the runner's phone. The clock is injected (no test waits for time).
 */
import type { Settings } from '../../src/config/index.ts';
import { startReplySubscriber, type ReplySubscriber } from '../../src/daemon/reply-subscriber.ts';
import type { Run } from '../../src/model.ts';
import type { NotifyDeps } from '../../src/notify/deps.ts';
import { notifyNewRuns } from '../../src/notify/index.ts';
import { peekReplyTopic } from '../../src/notify/reply-topic.ts';
import { Store } from '../../src/store/index.ts';
import { history } from '../advice/scenario.ts';
import { startFakeNtfy, type FakeNtfy, type FakeNtfyMessage } from '../support/fake-ntfy.ts';
import { recordingLogger } from './channels/fixtures.ts';
import { NOW, SECRETS, testConfig } from '../web/support.ts';

/** The prompt topic the runner's phone subscribes to (a secret too). */
export const TOPIC = 'knees-prompt-topic-7c1e';

export interface Loop {
  ntfy: FakeNtfy;
  store: Store;
  deps: NotifyDeps;
  runs: Run[];
  sub: ReplySubscriber;
  replyTopic: string;
  /** Moves the injected clock (and the ntfy server's) on by `minutes`. */
  advance(minutes: number): void;
  /** The newest notification on the prompt topic. */
  latest(): FakeNtfyMessage;
  /** Taps `label` on the newest notification and waits until the daemon handled `n` replies. */
  tap(label: string, n: number): Promise<void>;
  /** Stops the subscriber and closes the store: the daemon is down. */
  stop(): Promise<void>;
  /** Opens the store again and starts a new subscriber: the daemon is back. */
  restart(): void;
  logs(): string;
  close(): Promise<void>;
}

/** Two runs earlier on the day of NOW, both within the prompt window. */
const RUNS = [
  { at: '2026-11-25T07:00:00+01:00', km: 5 },
  { at: '2026-11-25T09:30:00+01:00', km: 6 },
];

export async function answerLoop(settings: Settings = {}): Promise<Loop> {
  let now = new Date(NOW);
  const ntfy = await startFakeNtfy({
    token: SECRETS.NOTIFY_NTFY_TOKEN,
    clock: () => Math.floor(now.getTime() / 1000),
  });
  const config = testConfig({
    NOTIFY_NTFY_URL: `${ntfy.url}/${TOPIC}`,
    NOTIFY_NTFY_TOKEN: SECRETS.NOTIFY_NTFY_TOKEN,
    KNEECHECK_TOKEN: SECRETS.KNEECHECK_TOKEN,
    ...settings,
  });
  const recorder = recordingLogger();
  let store = Store.open(config.dataDir);
  const { runs } = history(RUNS);
  for (const r of runs) store.saveRun({ run: r, form: null }, null, now.toISOString());
  const deps: NotifyDeps = {
    get store() {
      return store;
    },
    config,
    now: () => now,
    log: recorder.log,
  };
  const start = (): ReplySubscriber => {
    const sub = startReplySubscriber({
      notify: deps,
      sleep: (_ms, signal) =>
        new Promise((resolve) => {
          const t = setTimeout(resolve, 5);
          signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
        }),
    });
    if (!sub) throw new Error('NOTIFY_NTFY_URL is set: the subscriber should start');
    return sub;
  };
  const loop: Loop = {
    ntfy,
    get store() {
      return store;
    },
    deps,
    runs,
    sub: start(),
    replyTopic: peekReplyTopic(store) ?? '',
    advance(minutes) {
      now = new Date(now.getTime() + minutes * 60_000);
    },
    latest() {
      const m = ntfy.messages(TOPIC).at(-1);
      if (!m) throw new Error('nothing was published on the prompt topic');
      return m;
    },
    async tap(label, n) {
      const status = await ntfy.tap(loop.latest(), label);
      if (status !== 200) throw new Error(`the ntfy server answered the tap with ${status}`);
      await loop.sub.handled(n);
    },
    async stop() {
      await loop.sub.close();
      store.close();
    },
    restart() {
      store = Store.open(config.dataDir);
      loop.sub = start();
    },
    logs: () =>
      recorder
        .lines()
        .map((l) => JSON.stringify(l))
        .join('\n'),
    async close() {
      await loop.sub.close();
      store.close();
      await ntfy.close();
    },
  };
  return loop;
}

/** Prompts for `run` as the watcher does after an import. */
export async function prompt(loop: Loop, run: Run | undefined): Promise<FakeNtfyMessage> {
  if (!run) throw new Error('no such run');
  const before = loop.ntfy.messages(TOPIC).length;
  await notifyNewRuns(loop.deps, [run]);
  await loop.ntfy.waitForMessages(TOPIC, before + 1);
  return loop.latest();
}

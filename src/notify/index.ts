import type { RecordedCheck } from '../checks.ts';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log.ts';
import type { Run } from '../model.ts';
import type { Store } from '../store/index.ts';
import type { Channel } from './types.ts';

/** What the notifier needs; `channels` defaults to the registry's enabled channels. */
export interface NotifyDeps {
  store: Store;
  config: Config;
  now: () => Date;
  log: Logger;
  channels?: readonly Channel[];
}

/** What one delivery pass did. */
export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
}

/**
 * After an import: enqueues a knee-check prompt for each new run (never for history older than
 * 48 h) and delivers what is due. Never throws: a channel that is down leaves the message in the
 * outbox (DESIGN §9.6, side effects never fail an import).
 */
export async function notifyNewRuns(
  deps: NotifyDeps,
  runs: readonly Run[],
): Promise<DeliveryReport> {
  void deps;
  void runs;
  return Promise.resolve({ sent: 0, retrying: 0, failed: 0 });
}

/** After a knee check: enqueues "advice changed" when the level got worse, and delivers. */
export async function notifyCheck(
  deps: NotifyDeps,
  recorded: RecordedCheck,
): Promise<DeliveryReport> {
  void deps;
  void recorded;
  return Promise.resolve({ sent: 0, retrying: 0, failed: 0 });
}

/** Enqueues the follow-ups and reminders now due, then delivers everything due (retries too). */
export async function runDue(deps: NotifyDeps): Promise<DeliveryReport> {
  void deps;
  return Promise.resolve({ sent: 0, retrying: 0, failed: 0 });
}

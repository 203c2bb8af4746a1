import type { Config } from '../config/index.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/index.ts';
import type { Channel } from './types.ts';

/** What the notifier needs; `channels` defaults to the registry's enabled channels. */
export interface NotifyDeps {
  store: Store;
  config: Config;
  now: () => Date;
  log: Logger;
  channels?: readonly Channel[];
  /** How long one send may take (default 10 s). */
  sendTimeoutMs?: number;
}

/** What one delivery pass did: messages sent, left for a retry, and given up on. */
export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
}

import type { Store } from '../store/index.ts';
import { INACTIVE_MESSAGE } from './http.ts';
import { SETTINGS, type StravaDeps } from './session.ts';

/**
 * Strava's API application inactive (its owner's subscription lapsed, since 30 June 2026): kept
 * in the settings table so that `strava status` can say so, and so that the daemon, whose
 * scheduled syncs and webhook events would each meet the same 403, logs it once.
 */
export interface InactiveState {
  /** First refusal seen (ISO). */
  since: string;
  /** Latest refusal seen (ISO). */
  lastSeen: string;
  message: string;
}

/** Stores (data folders) whose daemon or command has already logged the refusal. */
const logged = new WeakSet<Store>();

export const readInactive = (store: Store): InactiveState | null =>
  store.settings.get<InactiveState>(SETTINGS.inactive);

/** Notes a refusal in the settings (for `strava status`); deletes nothing. */
export function markInactive(deps: Pick<StravaDeps, 'store' | 'now'>): void {
  const now = deps.now().toISOString();
  const before = readInactive(deps.store);
  deps.store.settings.set(
    SETTINGS.inactive,
    {
      since: before?.since ?? now,
      lastSeen: now,
      message: INACTIVE_MESSAGE,
    } satisfies InactiveState,
    now,
  );
}

/**
 * The daemon's word on a refusal: marked, and logged at error level once per process and store;
 * each later one (every scheduled sync, every webhook event) only at debug level.
 */
export function logInactive(deps: Pick<StravaDeps, 'store' | 'now' | 'log'>, what: string): void {
  markInactive(deps);
  if (logged.has(deps.store)) {
    deps.log.debug(`${what}: the Strava API application is still inactive`);
    return;
  }
  logged.add(deps.store);
  deps.log.error(`${what}: ${INACTIVE_MESSAGE}`);
}

/** Strava answered again: the application is active (again); said once when it had not been. */
export function noteActive(deps: Pick<StravaDeps, 'store' | 'now' | 'log'>): void {
  logged.delete(deps.store);
  if (!readInactive(deps.store)) return;
  deps.store.settings.delete(SETTINGS.inactive);
  deps.log.info('Strava answers again: the Strava API application is active');
}

import { randomBytes } from 'node:crypto';
import type { Store } from '../store/index.ts';

/** Settings key of the reply topic's name (a secret: whoever knows it can answer). */
const TOPIC_KEY = 'notify.replyTopic';
/** Settings key of the id of the last reply-topic message handled (`since=` on reconnect). */
const SINCE_KEY = 'notify.replySince';

/** The reply topic, made once (192 random bits, ntfy's topic alphabet) and kept in the store. */
export function replyTopic(store: Store, now: Date): string {
  const known = store.settings.text(TOPIC_KEY);
  if (known !== null) return known;
  const topic = `kc-${randomBytes(24).toString('base64url')}`;
  store.settings.set(TOPIC_KEY, topic, now.toISOString());
  return topic;
}

/** The reply topic when one was made, else null (never makes one). */
export const peekReplyTopic = (store: Store): string | null => store.settings.text(TOPIC_KEY);

/** The id of the last reply-topic message handled, for `since=`. */
export const replySince = (store: Store): string | null => store.settings.text(SINCE_KEY);

export function setReplySince(store: Store, id: string, now: Date): void {
  store.settings.set(SINCE_KEY, id, now.toISOString());
}

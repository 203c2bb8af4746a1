import { createHash } from 'node:crypto';

/**
 * Channel-side forms of the outbox's delivery id (`SendContext.deliveryId`, the same on every
 * retry of one message), for channels whose receivers can drop a repeat (DESIGN §6: delivery is
 * at-least-once). Hashed with the data folder: two installs never share an id, and the id says
 * nothing about the runs it concerns.
 */
function digest(dataDir: string, deliveryId: string): string {
  return createHash('sha256').update(`kneecheck-delivery\n${dataDir}\n${deliveryId}`).digest('hex');
}

/**
 * ntfy's sequence id (ntfy 2.16+, `sequence_id` in a JSON publish, `X-Sequence-ID` as a header):
 * a message published again with the same one replaces the notification instead of adding a
 * second. Letters, digits and `-` only, 43 characters. Older servers ignore it.
 */
export const ntfySequenceId = (dataDir: string, deliveryId: string): string =>
  `kc-${digest(dataDir, deliveryId).slice(0, 40)}`;

/**
 * An email `Message-ID` (RFC 5322 msg-id): `<kneecheck.<hash>@<domain of the sender>>`. Mail
 * clients and servers take two messages with one Message-ID for one message.
 */
export function emailMessageId(dataDir: string, deliveryId: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'kneecheck.localhost';
  return `<kneecheck.${digest(dataDir, deliveryId).slice(0, 40)}@${domain}>`;
}

import { createHash, timingSafeEqual } from 'node:crypto';

/** Equality of two strings in time independent of where they differ (both hashed first). */
export function safeEqualText(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

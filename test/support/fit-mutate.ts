import { CrcCalculator } from '@garmin/fitsdk';

/** A small seeded PRNG (mulberry32): the same seed gives the same mutants on every machine. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Recomputes a FIT file's header CRC (14-byte headers) and file CRC in place, so that a mutant
 * passes the integrity check and is read as a whole, valid file.
 */
export function withValidCrc(bytes: Uint8Array): Uint8Array {
  const b = Buffer.from(bytes);
  const headerSize = b[0] ?? 0;
  if (b.length < headerSize || headerSize < 12) return b;
  if (headerSize >= 14) b.writeUInt16LE(CrcCalculator.calculateCRC(b, 0, 12), 12);
  const end = headerSize + b.readUInt32LE(4);
  if (end + 2 <= b.length) b.writeUInt16LE(CrcCalculator.calculateCRC(b, 0, end), end);
  return b;
}

/**
 * A mutant of a FIT file: 1–6 changes in its data records (random bytes, 0x00, 0xFF, a flipped
 * bit, or four random bytes), half of them in the last quarter where the session and lap
 * summaries are, with the CRCs recomputed.
 */
export function mutateFit(original: Uint8Array, rand: () => number): Uint8Array {
  const b = Buffer.from(original);
  const headerSize = b[0] ?? 14;
  const end = Math.min(b.length - 2, headerSize + b.readUInt32LE(4));
  const span = end - headerSize;
  const changes = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < changes; i++) {
    const tail = rand() < 0.5;
    const from = tail ? headerSize + Math.floor(span * 0.75) : headerSize;
    const at = from + Math.floor(rand() * (end - from));
    const kind = Math.floor(rand() * 5);
    if (kind === 0) b[at] = Math.floor(rand() * 256);
    else if (kind === 1) b[at] = 0;
    else if (kind === 2) b[at] = 0xff;
    else if (kind === 3) b[at] = (b[at] ?? 0) ^ (1 << Math.floor(rand() * 8));
    else for (let k = 0; k < 4 && at + k < end; k++) b[at + k] = Math.floor(rand() * 256);
  }
  return withValidCrc(b);
}

import { CrcCalculator } from '@garmin/fitsdk';

/** FIT base types as written in a definition (with the endian flag the profile gives them). */
export const BT = {
  enum: 0x00,
  sint8: 0x01,
  uint8: 0x02,
  sint16: 0x83,
  uint16: 0x84,
  sint32: 0x85,
  uint32: 0x86,
  uint8z: 0x0a,
  uint16z: 0x8b,
  uint32z: 0x8c,
  byte: 0x0d,
} as const;

const SIZE: Record<number, number> = {
  0: 1,
  1: 1,
  2: 1,
  3: 2,
  4: 2,
  5: 4,
  6: 4,
  10: 1,
  11: 2,
  12: 4,
  13: 1,
};
const SIGNED = new Set([1, 3, 5]);
const ZERO_INVALID = new Set([10, 11, 12]);

/** [field number, base type, size in bytes (default: one value of the base type)] */
export type FieldSpec = [number, number, number?];

interface Def {
  fields: { size: number; bt: number }[];
  big: boolean;
  devSizes: number[];
}

/**
 * Writes FIT bytes by hand, for layouts the SDK's Encoder does not write: big-endian definitions,
 * invalid values, compressed-timestamp headers, odd fields. Integers only.
 */
export class FitWriter {
  #out: number[] = [];
  #defs = new Map<number, Def>();

  /** A definition message for local message `local` of global message `global`. */
  define(
    local: number,
    global: number,
    fields: FieldSpec[],
    opts: { bigEndian?: boolean; dev?: [num: number, size: number, index: number][] } = {},
  ): void {
    const big = opts.bigEndian ?? false;
    const dev = opts.dev ?? [];
    this.#out.push(0x40 | (dev.length > 0 ? 0x20 : 0) | local, 0, big ? 1 : 0);
    this.#out.push(...(big ? [global >> 8, global & 0xff] : [global & 0xff, global >> 8]));
    this.#out.push(fields.length);
    const defFields = fields.map(([num, bt, size]) => {
      const s = size ?? SIZE[bt & 0x1f] ?? 1;
      this.#out.push(num, s, bt);
      return { size: s, bt: bt & 0x1f };
    });
    if (dev.length > 0) {
      this.#out.push(dev.length);
      for (const [num, size, index] of dev) this.#out.push(num, size, index);
    }
    this.#defs.set(local, { fields: defFields, big, devSizes: dev.map(([, size]) => size) });
  }

  /** A data message; `null` writes the base type's invalid value; `dev` gives one byte per developer field byte. */
  data(local: number, values: (number | null)[], dev: number[] = []): void {
    const def = this.#defs.get(local);
    if (!def) throw new Error(`FitWriter: local message ${local} is not defined`);
    this.#out.push(local);
    def.fields.forEach(({ size, bt }, i) => {
      const v = values[i] ?? null;
      const one = SIZE[bt] ?? 1;
      if (v === null) {
        for (let k = 0; k < size; k++) {
          const msb = def.big ? k % one === 0 : k % one === one - 1;
          this.#out.push(ZERO_INVALID.has(bt) ? 0 : SIGNED.has(bt) && msb ? 0x7f : 0xff);
        }
        return;
      }
      const bytes: number[] = [];
      let x = BigInt.asUintN(size * 8, BigInt(v));
      for (let k = 0; k < size; k++, x >>= 8n) bytes.push(Number(x & 0xffn));
      this.#out.push(...(def.big && size === one ? bytes.reverse() : bytes));
    });
    const devTotal = def.devSizes.reduce((a, b) => a + b, 0);
    for (let k = 0; k < devTotal; k++) this.#out.push(dev[k] ?? 0);
  }

  /** Bytes as given (a record the other methods do not write). */
  raw(bytes: number[]): void {
    this.#out.push(...bytes);
  }

  /** The whole file: header (its CRC computed unless given), the records, the file CRC. */
  file(opts: { headerSize?: 12 | 14; headerCrc?: number } = {}): Uint8Array {
    const h = opts.headerSize ?? 14;
    const size = this.#out.length;
    const header = [
      h,
      0x20,
      2199 & 0xff,
      2199 >> 8,
      size & 0xff,
      (size >> 8) & 0xff,
      (size >> 16) & 0xff,
      size >>> 24,
      0x2e,
      0x46,
      0x49,
      0x54,
    ];
    if (h === 14) {
      const crc = opts.headerCrc ?? CrcCalculator.calculateCRC(Uint8Array.from(header), 0, 12);
      header.push(crc & 0xff, crc >> 8);
    }
    const bytes = Uint8Array.from([...header, ...this.#out, 0, 0]);
    const crc = CrcCalculator.calculateCRC(bytes, 0, bytes.length - 2);
    bytes[bytes.length - 2] = crc & 0xff;
    bytes[bytes.length - 1] = crc >> 8;
    return bytes;
  }
}

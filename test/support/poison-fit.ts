import { CrcCalculator } from '@garmin/fitsdk';

/**
 * A CRC-valid FIT "poison" file: a header, a file_id (activity), one record definition and
 * `messages` tiny record messages, written straight into one Buffer (the test holds the bytes
 * once, not a JS array of them). Kinds:
 * - `compressed`: 2-byte messages with a compressed-timestamp header (what the SDK stops at and
 *   fit-file-parser reads on, one object per message);
 * - `plain`: 2-byte messages (normal header, heart rate only, no timestamp);
 * - `timed`: 6-byte messages with a timestamp and a heart rate (kept by every decoder).
 */
export function poisonFit(messages: number, kind: 'compressed' | 'plain' | 'timed'): Buffer {
  const start = 1_100_000_000; // a FIT timestamp in 2024
  const head: number[] = [
    // file_id (local 1, global 0): type = activity (4)
    0x41,
    0,
    0,
    0,
    0,
    1,
    0,
    1,
    0x00,
    0x01,
    4,
    // record (local 2): timestamp (253, uint32) + heart_rate (3, uint8), one message
    0x42,
    0,
    0,
    20,
    0,
    2,
    253,
    4,
    0x86,
    3,
    1,
    0x02,
    0x02,
    start & 0xff,
    (start >> 8) & 0xff,
    (start >> 16) & 0xff,
    start >>> 24,
    120,
  ];
  if (kind === 'timed') head.push(0x40, 0, 0, 20, 0, 2, 253, 4, 0x86, 3, 1, 0x02);
  else head.push(0x40, 0, 0, 20, 0, 1, 3, 1, 0x02); // record (local 0): heart_rate only
  const each = kind === 'timed' ? 6 : 2;
  const dataSize = head.length + messages * each;
  const out = Buffer.alloc(14 + dataSize + 2);
  out.set([14, 0x20, 2199 & 0xff, 2199 >> 8], 0);
  out.writeUInt32LE(dataSize, 4);
  out.write('.FIT', 8, 'latin1');
  out.writeUInt16LE(CrcCalculator.calculateCRC(out, 0, 12), 12);
  out.set(head, 14);
  let p = 14 + head.length;
  for (let i = 0; i < messages; i++) {
    if (kind === 'compressed') {
      out[p++] = 0x80 | ((i + 1) % 32); // local 0, time offset
      out[p++] = 100 + (i % 50);
    } else if (kind === 'plain') {
      out[p++] = 0x00;
      out[p++] = 100 + (i % 50);
    } else {
      out[p] = 0x00;
      out.writeUInt32LE(start + 1 + i, p + 1);
      out[p + 5] = 100 + (i % 50);
      p += 6;
    }
  }
  out.writeUInt16LE(CrcCalculator.calculateCRC(out, 0, p), p);
  return out;
}

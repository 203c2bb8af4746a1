import fs from 'node:fs';
import path from 'node:path';
import { CrcCalculator, Decoder, Stream } from '@garmin/fitsdk';
import { describe, expect, it } from 'vitest';
import fit from '../../importers/fit.ts';
import {
  FitTooLarge,
  MAX_FIT_MESSAGES,
  MAX_FIT_RECORDS,
  MAX_FIT_SESSIONS,
  countFitMessages,
} from '../../importers/fit-bounds.ts';
import { decodeWithFitFileParser } from '../../importers/fit-fallback.ts';
import { decodeOwn } from '../../importers/fit-own.ts';
import { decodeWithSdk } from '../../importers/fit-sdk.ts';
import { BT, FitWriter } from '../support/fit-writer.ts';
import { FIXTURES_FIT, HAVE_FIXTURES, SKIP_FIXTURES_NOTE } from '../support/paths.ts';
import { poisonFit } from '../support/poison-fit.ts';
import { simpleRun } from '../support/synth-fit.ts';

const ctx = { timezone: 'Europe/Berlin' };
const sha = 'a'.repeat(64);
const BOUND_TEXT = /^refused: more than 1,000,000 records: not a recording of one activity/;
/** Three times the bound: far past it, still a few MB. */
const POISON = 3 * MAX_FIT_RECORDS;

describe('the record bound of a FIT file (issue 21 item 2)', () => {
  it.each(['compressed', 'plain', 'timed'] as const)(
    'a CRC-valid file of 3 M tiny %s records fails naming the bound',
    (kind) => {
      const bytes = poisonFit(POISON, kind);
      // The file is intact: nothing but its size is wrong with it.
      expect(new Decoder(Stream.fromBuffer(bytes)).checkIntegrity()).toBe(true);
      const before = process.memoryUsage().heapUsed;
      const outcome = fit.read({ bytes, sha256: sha }, ctx);
      expect(outcome).toEqual({ kind: 'failed', error: expect.stringMatching(BOUND_TEXT) });
      // Refused by counting, not after keeping an object per message (3 M of them: > 1 GB).
      expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
    },
  );

  it('every decoder refuses such a file on its own, before keeping its messages', () => {
    const timed = poisonFit(POISON, 'timed');
    const compressed = poisonFit(POISON, 'compressed');
    expect(() => decodeOwn(timed)).toThrow(FitTooLarge);
    expect(() => decodeOwn(timed)).toThrow(BOUND_TEXT);
    expect(() => decodeWithSdk(compressed)).toThrow(FitTooLarge);
    expect(() => decodeWithFitFileParser(compressed)).toThrow(BOUND_TEXT);
  });

  it('counts what the decoders read, compressed-timestamp messages included, up to the bound', () => {
    for (const kind of ['compressed', 'plain', 'timed'] as const) {
      // file_id + one timed record + the tiny ones
      expect(countFitMessages(poisonFit(10_000, kind)), kind).toEqual({
        messages: 10_002,
        records: 10_001,
        sessions: 0,
      });
    }
    expect(countFitMessages(poisonFit(POISON, 'plain')).records).toBe(MAX_FIT_RECORDS + 1);
    const few = decodeWithFitFileParser(poisonFit(10_000, 'compressed'));
    expect(few?.records.length).toBe(10_001);
  });

  it('more messages than the bound, of a kind that is not a record, fail too', () => {
    // The file_id's local type 1 repeated: 2-byte data messages of global message 0.
    const bytes = poisonFit(0, 'plain');
    const n = MAX_FIT_MESSAGES + 10;
    const body = bytes.subarray(14, bytes.length - 2);
    const out = Buffer.alloc(14 + body.length + 2 * n + 2);
    out.set(bytes.subarray(0, 14));
    out.set(body, 14);
    for (let i = 0, p = 14 + body.length; i < n; i++, p += 2) out.set([0x01, 4], p);
    out.writeUInt32LE(body.length + 2 * n, 4);
    out.writeUInt16LE(CrcCalculator.calculateCRC(out, 0, 12), 12);
    out.writeUInt16LE(CrcCalculator.calculateCRC(out, 0, out.length - 2), out.length - 2);
    expect(fit.read({ bytes: out, sha256: sha }, ctx)).toEqual({
      kind: 'failed',
      error: expect.stringMatching(/^refused: more than 2,000,000 FIT messages/),
    });
  });

  it('a file of more than 10,000 sessions fails naming the bound', () => {
    const w = new FitWriter();
    w.define(0, 0, [[0, BT.enum]]);
    w.data(0, [4]); // file_id: activity
    // session: start_time, total_elapsed_time (ms), sport = running
    w.define(1, 18, [
      [2, BT.uint32],
      [7, BT.uint32],
      [5, BT.enum],
    ]);
    for (let i = 0; i < 10_001; i++) w.data(1, [1_100_000_000 + i * 600, 600_000, 1]);
    const bytes = w.file();
    expect(countFitMessages(bytes).sessions).toBe(MAX_FIT_SESSIONS + 1);
    expect(fit.read({ bytes, sha256: sha }, ctx)).toEqual({
      kind: 'failed',
      error: expect.stringMatching(
        /^refused: more than 10,000 sessions: not a recording of one activity/,
      ),
    });
    expect(() => decodeOwn(bytes)).toThrow(FitTooLarge);
  });

  it('a real-sized run is far inside the bounds and imported as before', () => {
    const bytes = simpleRun(new Date(Date.UTC(2026, 9, 1, 6)));
    expect(countFitMessages(bytes).records).toBeGreaterThan(100);
    expect(fit.read({ bytes, sha256: sha }, ctx).kind).toBe('runs');
  });
});

describe.skipIf(!HAVE_FIXTURES)(`the count on real files${SKIP_FIXTURES_NOTE}`, () => {
  it('finds as many records as the SDK keeps in every intact real file', () => {
    const names = fs.readdirSync(FIXTURES_FIT).filter((n) => /\.fit$/i.test(n));
    let compared = 0;
    for (const name of names) {
      const bytes = new Uint8Array(fs.readFileSync(path.join(FIXTURES_FIT, name)));
      const counts = countFitMessages(bytes);
      expect(counts.records, name).toBeLessThanOrEqual(MAX_FIT_RECORDS);
      const sdk = decodeWithSdk(bytes);
      if (!sdk.intact || sdk.decoded.errors.length > 0) continue;
      const { messages } = new Decoder(Stream.fromBuffer(bytes)).read({ mergeHeartRates: false });
      expect(counts.records, name).toBe(messages.recordMesgs?.length ?? 0);
      compared++;
    }
    expect(compared).toBeGreaterThan(5);
  });
});

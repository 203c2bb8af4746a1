import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CrcCalculator, Encoder, Profile } from '@garmin/fitsdk';
import { decodeOwn, fitCrc } from '../../importers/fit-own.ts';
import { decodeWithSdk } from '../../importers/fit-sdk.ts';
import { mutateFit, seeded, withValidCrc } from '../support/fit-mutate.ts';
import { FIXTURES_FIT, HAVE_FIXTURES, SKIP_FIXTURES_NOTE } from '../support/paths.ts';
import { synthFit } from '../support/synth-fit.ts';
import { BT, FitWriter } from '../support/fit-writer.ts';

/**
 * Decodes with kneecheck's own decoder and with the SDK; when the own decoder takes the file, its
 * result must equal the SDK's field for field. Says which decoder the file goes to.
 */
function route(bytes: Uint8Array): 'own' | 'sdk' {
  const own = decodeOwn(bytes);
  const sdk = decodeWithSdk(bytes);
  if (own === null) return 'sdk';
  expect(sdk.isFit && sdk.intact && sdk.decoded.errors).toEqual([]);
  expect({ ...own, decoder: 'fitsdk' }).toStrictEqual(sdk.decoded);
  return 'own';
}

const START = new Date(Date.UTC(2026, 2, 14, 7, 30));
const run = (opts: Partial<Parameters<typeof synthFit>[0]> = {}) =>
  synthFit({
    start: START,
    localOffsetMin: 60,
    sessions: [{ durationS: 300, speedMps: (t) => 3 + Math.sin(t / 20), stepRateSpm: 167.3 }],
    ...opts,
  });

/** An activity written message by message with the official Encoder. */
function encode(
  mesgs: [string, Record<string, unknown>][],
  fieldDescriptions?: ConstructorParameters<typeof Encoder>[0],
): Uint8Array {
  const enc = new Encoder(fieldDescriptions);
  for (const [name, fields] of mesgs) enc.onMesg(Profile.MesgNum[name] ?? -1, fields);
  return enc.close();
}
const at = (s: number) => new Date(START.getTime() + s * 1000);

describe('the own FIT decoder reads what the SDK reads', () => {
  it('computes the FIT CRC as the SDK does', () => {
    const bytes = run();
    expect(fitCrc(bytes, 0, bytes.length)).toBe(CrcCalculator.calculateCRC(bytes, 0, bytes.length));
  });

  it('takes synthetic runs: fractional cadence, step length, no GPS, paused, no cadence', () => {
    expect(route(run())).toBe('own');
    const legs = [
      { durationS: 200, speedMps: 2.8, stepRateSpm: 171, stepLength: true, gps: false },
    ];
    expect(route(run({ sessions: legs }))).toBe('own');
    const paused = [{ durationS: 300, speedMps: 3, stepRateSpm: null, pauses: [[60, 30]] }];
    expect(route(run({ sessions: paused as never, localOffsetMin: null }))).toBe('own');
  });

  it('takes multisport files: run, bike, run in one file', () => {
    const sessions = [
      { durationS: 120, speedMps: 3, stepRateSpm: 170 },
      { sport: 'cycling', subSport: 'road', offsetS: 130, durationS: 120, speedMps: 8 },
      { sport: 'running', subSport: 'trail', offsetS: 260, durationS: 120, speedMps: 3 },
    ];
    expect(route(run({ sessions }))).toBe('own');
  });

  it('takes files that are not activities or not from Garmin', () => {
    expect(route(run({ fileType: 'settings' }))).toBe('own');
    expect(route(run({ manufacturer: 'stryd', product: 7 }))).toBe('own');
    expect(route(run({ manufacturer: 'development' }))).toBe('own');
  });

  it('takes enhanced speed, running dynamics, activity type, and values the profile does not name', () => {
    const bytes = encode([
      ['FILE_ID', { type: 'activity', manufacturer: 'garmin', product: 3113, serialNumber: 1 }],
      ['SPORT', { sport: 'running', subSport: 'treadmill' }],
      ['SPORT', { sport: 200 }],
      ['RECORD', { timestamp: at(0), enhancedSpeed: 3.456, speed: 3.1, cadence: 84 }],
      ['RECORD', { timestamp: at(1), speed: 3.2, activityType: 'running' }],
      ['RECORD', { timestamp: at(2), verticalOscillation: 81.2, heartRate: 150 }],
      ['RECORD', { timestamp: at(3), stanceTime: 245.5, fractionalCadence: 0.5 }],
      ['RECORD', { timestamp: at(4), activityType: 'cycling', stepLength: 1203.4 }],
      ['RECORD', { distance: 12 }],
      ['LAP', { timestamp: at(5), sport: 'running' }],
      [
        'SESSION',
        {
          timestamp: at(5),
          startTime: at(0),
          sport: 'running',
          subSport: 'treadmill',
          totalElapsedTime: 5.123,
          totalTimerTime: 5,
          totalDistance: 17.31,
          avgCadence: 85,
          avgFractionalCadence: 0.25,
          avgStepLength: 1100.2,
          enhancedAvgSpeed: 3.33,
          avgSpeed: 3.3,
          avgHeartRate: 150,
        },
      ],
      ['SESSION', { timestamp: at(6), sport: 'swimming', avgCadence: 30 }],
      ['ACTIVITY', { timestamp: at(6), localTimestamp: 1_100_000_000 }],
    ]);
    expect(route(bytes)).toBe('own');
  });

  it('takes developer fields, skipped by their size', () => {
    const developerDataIdMesg = {
      developerDataIndex: 0,
      applicationId: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
    };
    const power = {
      developerDataIndex: 0,
      fieldDefinitionNumber: 0,
      fitBaseTypeId: 0x84,
      fieldName: 'Power',
      units: 'W',
      nativeMesgNum: 20,
    };
    const bytes = encode(
      [
        ['FILE_ID', { type: 'activity', manufacturer: 'garmin', product: 1765 }],
        ['DEVELOPER_DATA_ID', developerDataIdMesg],
        ['FIELD_DESCRIPTION', power],
        ['RECORD', { timestamp: at(0), speed: 3, cadence: 80, developerFields: { 0: 250 } }],
        ['RECORD', { timestamp: at(1), speed: 3.1, cadence: 81, developerFields: { 0: 251 } }],
        ['SESSION', { timestamp: at(1), startTime: at(0), sport: 'running' }],
      ],
      { fieldDescriptions: { 0: { developerDataIdMesg, fieldDescriptionMesg: power } } },
    );
    expect(route(bytes)).toBe('own');
  });

  it('takes big-endian definitions, invalid values, a 12-byte header and chained files', () => {
    const w = new FitWriter();
    w.define(
      0,
      0,
      [
        [0, BT.enum],
        [1, BT.uint16],
        [2, BT.uint16],
      ],
      { bigEndian: true },
    );
    w.data(0, [4, 1, 2697]);
    w.define(
      1,
      20,
      [
        [253, BT.uint32],
        [6, BT.uint16],
        [4, BT.uint8],
        [3, BT.uint8],
        [5, BT.uint32],
      ],
      { bigEndian: true },
    );
    w.data(1, [1_100_000_000, 3100, 80, null, 1000]);
    w.data(1, [1_100_000_001, null, null, 140, null]);
    w.data(1, [null, 3000, 80, 140, 2000]);
    w.data(1, [0x10000000, 3000, 80, 140, 2000]); // the SDK names this timestamp 'min'
    w.define(
      2,
      18,
      [
        [2, BT.uint32],
        [5, BT.enum],
        [18, BT.uint8],
        [9, BT.uint32],
      ],
      { bigEndian: true },
    );
    w.data(2, [1_100_000_000, 1, 83, null]);
    const one = w.file();
    expect(route(one)).toBe('own');
    // No timestamp, or 0x10000000 (which the SDK names 'min'): both records are dropped.
    expect(decodeOwn(one)?.records).toHaveLength(2);
    expect(route(w.file({ headerSize: 12 }))).toBe('own');
    expect(route(w.file({ headerCrc: 0 }))).toBe('own');
    expect(route(new Uint8Array([...one, ...run()]))).toBe('own');
  });

  it('takes a field written twice in one definition (the last valid value wins, as in the SDK)', () => {
    const w = new FitWriter();
    w.define(0, 20, [
      [253, BT.uint32],
      [3, BT.uint8],
      [3, BT.uint8],
      [4, BT.uint8],
      [4, BT.uint8],
    ]);
    w.data(0, [1_100_000_000, 120, 130, 80, null]);
    expect(route(w.file())).toBe('own');
    expect(decodeOwn(w.file())?.records[0]).toMatchObject({ heartRateBpm: 130, cadence: 80 });
  });

  it('hands to the SDK what it does not vouch for, and the SDK reads those with errors', () => {
    const plain = new FitWriter();
    plain.define(0, 20, [
      [253, BT.uint32],
      [3, BT.uint8],
    ]);
    plain.data(0, [1_100_000_000, 120]);
    const cases: [string, Uint8Array][] = [];
    const compressed = new FitWriter();
    compressed.define(0, 20, [
      [253, BT.uint32],
      [3, BT.uint8],
    ]);
    compressed.data(0, [1_100_000_000, 120]);
    compressed.raw([0x80 | 3, 121]); // compressed-timestamp header, 3 s later
    cases.push(['a compressed timestamp', compressed.file()]);
    const unknownType = new FitWriter();
    unknownType.raw([0x40, 0, 0, 20, 0, 1, 253, 4, 0x1f]);
    cases.push(['an unknown base type', unknownType.file()]);
    const noDefinition = new FitWriter();
    noDefinition.raw([0x03, 1, 2, 3, 4]);
    cases.push(['data without its definition', noDefinition.file()]);
    const accumulated = new FitWriter();
    accumulated.define(0, 20, [
      [253, BT.uint32],
      [8, BT.byte, 3],
      [5, BT.uint32],
    ]);
    accumulated.data(0, [1_100_000_000, 0x010203, 1000]);
    cases.push(['distance beside compressed_speed_distance', accumulated.file()]);
    const badDevType = new FitWriter();
    badDevType.define(0, 207, [[3, BT.uint8]]);
    badDevType.data(0, [0]);
    badDevType.define(1, 206, [
      [0, BT.uint8],
      [1, BT.uint8],
      [2, BT.uint8],
    ]);
    badDevType.data(1, [0, 0, 0x1f]);
    badDevType.define(2, 20, [[253, BT.uint32]], { dev: [[0, 1, 0]] });
    badDevType.data(2, [1_100_000_000], [7]);
    cases.push(['a developer field of an unknown base type', badDevType.file()]);
    const noDevIndex = new FitWriter();
    noDevIndex.define(0, 207, [[3, BT.uint8]]);
    noDevIndex.data(0, [null]);
    cases.push(['developer data without its index', noDevIndex.file()]);
    const good = plain.file();
    const badCrc = Uint8Array.from(good);
    badCrc[15] = (badCrc[15] ?? 0) ^ 1;
    cases.push(['a file CRC mismatch', badCrc]);
    cases.push(['a header CRC mismatch', withValidCrc(good).map((b, i) => (i === 12 ? b ^ 1 : b))]);
    cases.push(['a truncated file', good.subarray(0, good.length - 3)]);
    cases.push(['trailing bytes', new Uint8Array([...good, 0, 0])]);
    cases.push(['an empty file', new Uint8Array()]);
    cases.push(['text', new TextEncoder().encode('hello, this is not a FIT file at all')]);
    for (const [what, bytes] of cases) {
      const sdk = decodeWithSdk(bytes);
      expect(decodeOwn(bytes), what).toBeNull();
      expect(sdk.decoded.errors.length > 0 || !sdk.intact || !sdk.isFit, what).toBe(true);
    }
    expect(route(good)).toBe('own');
  });

  it('either hands a valid-CRC mutant to the SDK or reads it exactly as the SDK does (300 mutants)', () => {
    const rand = seeded(13);
    const w = new FitWriter();
    w.define(0, 0, [
      [0, BT.enum],
      [1, BT.uint16],
      [2, BT.uint16],
    ]);
    w.data(0, [4, 1, 2697]);
    w.define(1, 207, [[3, BT.uint8]]);
    w.data(1, [0]);
    w.define(2, 206, [
      [0, BT.uint8],
      [1, BT.uint8],
      [2, BT.uint8],
    ]);
    w.data(2, [0, 0, 0x84]);
    w.define(
      3,
      20,
      [
        [253, BT.uint32],
        [6, BT.uint16],
        [4, BT.uint8],
        [53, BT.uint8],
        [42, BT.enum],
      ],
      { bigEndian: true, dev: [[0, 2, 0]] },
    );
    for (let t = 0; t < 20; t++) w.data(3, [1_100_000_000 + t, 3000 + t, 80, 64, 1], [t, 1]);
    w.define(4, 18, [
      [253, BT.uint32],
      [2, BT.uint32],
      [5, BT.enum],
      [6, BT.enum],
      [18, BT.uint8],
      [9, BT.uint32],
    ]);
    w.data(4, [1_100_000_020, 1_100_000_000, 1, 45, 83, 6000]);
    const originals = [run(), w.file()];
    const seen = { own: 0, sdk: 0 };
    for (let i = 0; i < 300; i++) {
      const original = originals[i % originals.length] ?? run();
      seen[route(mutateFit(original, rand))]++;
    }
    // Both ways are exercised: most mutants stay readable, some are refused.
    expect(seen.own).toBeGreaterThan(100);
    expect(seen.sdk).toBeGreaterThan(10);
  });
});

describe(`the own FIT decoder on the shared real-device fixtures${SKIP_FIXTURES_NOTE}`, () => {
  it.skipIf(!HAVE_FIXTURES)(
    'reads every intact fixture exactly as the SDK does and hands the damaged ones to the SDK',
    () => {
      const routes: Record<string, 'own' | 'sdk'> = {};
      for (const file of fs.readdirSync(FIXTURES_FIT).sort()) {
        if (!/\.fit(\.gz)?$/i.test(file)) continue;
        let bytes: Uint8Array = fs.readFileSync(path.join(FIXTURES_FIT, file));
        if (file.endsWith('.gz')) bytes = zlib.gunzipSync(bytes);
        routes[file] = route(bytes);
        const sdk = decodeWithSdk(bytes);
        const whole = sdk.isFit && sdk.intact && sdk.decoded.errors.length === 0;
        // The SDK reads these whole; the own decoder must take each of them.
        if (whole) expect(routes[file], file).toBe('own');
      }
      const toSdk = Object.keys(routes).filter((f) => routes[f] === 'sdk');
      expect(toSdk).toEqual(
        expect.arrayContaining([
          'activity-filecrc.fit',
          'activity-unexpected-eof.fit',
          'compressed-speed-distance.fit',
          'fenix2-run-truncated.fit',
          'fr920-badcrc.fit',
          'notes-not-a-fit.fit',
        ]),
      );
      expect(Object.values(routes).filter((r) => r === 'own').length).toBeGreaterThanOrEqual(15);
    },
  );
});

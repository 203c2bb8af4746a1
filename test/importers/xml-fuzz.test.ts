/**
 * Damaged GPX and TCX files (cut anywhere, bytes changed, tags swapped) are answered with a value,
 * never an exception, and a run made of them carries no NaN or infinite number.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import gpx from '../../importers/gpx.ts';
import tcx from '../../importers/tcx.ts';
import type { FileInput } from '../../importers/types.ts';
import type { Run } from '../../src/model.ts';
import { gpxOf, tcxOf } from '../support/xml-writer.ts';

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOISE = [
  '<',
  '>',
  '&',
  '"',
  '</trkpt>',
  '<Lap StartTime="x">',
  'NaN',
  '-1e309',
  '\u0000',
  '<!DOCTYPE x>',
];

function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const text = new TextDecoder().decode(bytes);
  const at = Math.floor(random() * text.length);
  switch (Math.floor(random() * 3)) {
    case 0:
      return new TextEncoder().encode(text.slice(0, at));
    case 1:
      return new TextEncoder().encode(
        text.slice(0, at) + (NOISE[Math.floor(random() * NOISE.length)] ?? '') + text.slice(at),
      );
    default: {
      const out = Uint8Array.from(bytes);
      for (let k = 0; k < 8; k++)
        out[Math.floor(random() * out.length)] = Math.floor(random() * 256);
      return out;
    }
  }
}

const numbersOf = (r: Run) =>
  [
    r.distanceM,
    r.movingTimeS,
    r.elapsedTimeS,
    r.avgSpeedMps,
    r.avgCadenceSpm,
    r.avgStepLengthM,
    r.avgHeartRateBpm,
  ].filter((v) => v !== null);

describe.each([
  ['gpx', gpx, gpxOf],
  ['tcx', tcx, tcxOf],
] as const)('the %s importer on damaged files', (_, importer, write) => {
  it('answers 300 damaged copies with a value, and no run with a NaN', () => {
    const random = rng(22);
    const good = new TextEncoder().encode(
      write({
        start: new Date('2026-03-02T07:00:00Z'),
        stretches: [
          { durationS: 300, speedMps: 3, cadence: 85 },
          { durationS: 300, speedMps: 2.5, cadence: 80, pauseBeforeS: 60 },
        ],
        stepS: 5,
      }),
    );
    const kinds = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const bytes = mutate(good, random);
      const input: FileInput = { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
      const out = importer.read(input, { timezone: 'Europe/Berlin' });
      kinds.add(out.kind);
      if (out.kind === 'runs') {
        for (const r of out.runs) {
          for (const v of numbersOf(r.run))
            expect(Number.isFinite(v), JSON.stringify(r.run)).toBe(true);
          expect(Number.isNaN(Date.parse(r.run.startTime))).toBe(false);
        }
      } else {
        expect((out.kind === 'failed' ? out.error : out.reason).length).toBeGreaterThan(0);
      }
    }
    // The damage reached both outcomes: runs kept from readable parts, and failures.
    expect(kinds).toContain('runs');
    expect(kinds).toContain('failed');
  });
});

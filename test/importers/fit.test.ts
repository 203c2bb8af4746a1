import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fit from '../../importers/fit.ts';
import type { ImportOutcome } from '../../importers/types.ts';
import type { ImportedRun } from '../../src/model.ts';
import { synthFit, type SynthRun } from '../support/synth-fit.ts';

const BERLIN = { timezone: 'Europe/Berlin' };
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const read = (bytes: Uint8Array, ctx = BERLIN): ImportOutcome =>
  fit.read({ bytes, sha256: sha(bytes) }, ctx);
const runsOf = (o: ImportOutcome): ImportedRun[] => {
  if (o.kind !== 'runs') throw new Error(`expected runs, got ${JSON.stringify(o)}`);
  return o.runs;
};
const oneRun = (r: SynthRun, ctx = BERLIN) => {
  const runs = runsOf(read(synthFit(r), ctx));
  expect(runs).toHaveLength(1);
  return runs[0] as ImportedRun;
};
const easy = { durationS: 1200, speedMps: 3, stepRateSpm: 166 };

describe('FIT importer on synthetic files', () => {
  it('gives the run its local start time and the runner zone when the offsets agree', () => {
    const { run } = oneRun({
      start: new Date('2026-01-10T08:00:00Z'),
      localOffsetMin: 60,
      sessions: [easy],
    });
    expect(run.startTime).toBe('2026-01-10T09:00:00+01:00');
    expect(run.timezone).toBe('Europe/Berlin');
    expect(run.distanceM).toBeCloseTo(3600, 0);
    expect(run.avgCadenceSpm).toBeCloseTo(166, 1);
    expect(run.partial).toBe(false);
    expect(run.warnings).toEqual([]);
  });

  it('keeps the local time of a run abroad', () => {
    const { run } = oneRun({
      start: new Date('2026-07-04T14:00:00Z'),
      localOffsetMin: -240,
      sessions: [easy],
    });
    expect(run.startTime).toBe('2026-07-04T10:00:00-04:00');
    expect(run.timezone).toBe('UTC-4');
  });

  it('handles a run across the spring DST change in the runner zone', () => {
    // Berlin moves from +01:00 to +02:00 at 2026-03-29T01:00Z; the watch writes the offset at the end.
    const { run } = oneRun({
      start: new Date('2026-03-29T00:30:00Z'),
      localOffsetMin: 120,
      sessions: [{ ...easy, durationS: 3600 }],
    });
    expect(run.timezone).toBe('Europe/Berlin');
    expect(run.startTime).toBe('2026-03-29T01:30:00+01:00');
  });

  it('uses the configured zone, with a warning, when the file has no local time', () => {
    const { run } = oneRun(
      { start: new Date('2026-06-01T05:00:00Z'), localOffsetMin: null, sessions: [easy] },
      { timezone: 'America/New_York' },
    );
    expect(run.startTime).toBe('2026-06-01T01:00:00-04:00');
    expect(run.warnings).toContain('no-local-time');
  });

  it('keeps only the running leg of a multisport file', () => {
    const runs = runsOf(
      read(
        synthFit({
          start: new Date('2026-05-01T07:00:00Z'),
          localOffsetMin: 120,
          sessions: [
            { sport: 'cycling', durationS: 1800, speedMps: 8, stepRateSpm: null },
            { sport: 'running', offsetS: 1900, durationS: 1200, speedMps: 3.2, stepRateSpm: 172 },
          ],
        }),
      ),
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]?.run.startTime).toBe('2026-05-01T09:31:40+02:00');
    expect(runs[0]?.run.distanceM).toBeCloseTo(3840, 0);
    // The bike's records do not leak into the run's form summary.
    expect(runs[0]?.form?.speedBins.every((b) => b.fromMps >= 3)).toBe(true);
  });

  it('makes one run per running session with distinct ids', () => {
    const runs = runsOf(
      read(
        synthFit({
          start: new Date('2026-05-02T07:00:00Z'),
          sessions: [
            { durationS: 600, speedMps: 3, stepRateSpm: 160 },
            { offsetS: 900, durationS: 600, speedMps: 3.5, stepRateSpm: 170 },
          ],
        }),
      ),
    );
    expect(runs.map((r) => r.run.id)).toHaveLength(2);
    expect(new Set(runs.map((r) => r.run.id)).size).toBe(2);
  });

  it('imports a treadmill run without GPS', () => {
    const { run } = oneRun({
      start: new Date('2026-02-02T18:00:00Z'),
      localOffsetMin: 60,
      sessions: [{ ...easy, subSport: 'treadmill', gps: false }],
    });
    expect(run.subSport).toBe('treadmill');
    expect(run.distanceM).toBeCloseTo(3600, 0);
  });

  it('counts pauses in elapsed time but not in moving time', () => {
    const { run } = oneRun({
      start: new Date('2026-02-03T18:00:00Z'),
      localOffsetMin: 60,
      sessions: [{ ...easy, pauses: [[300, 120]] }],
    });
    expect(run.elapsedTimeS).toBe(1200);
    expect(run.movingTimeS).toBe(1080);
    expect(run.avgSpeedMps).toBeCloseTo(3, 2);
  });

  it('reports unknown cadence as null with a warning, never 0', () => {
    const { run, form } = oneRun({
      start: new Date('2026-02-04T18:00:00Z'),
      sessions: [{ ...easy, stepRateSpm: null }],
    });
    expect(run.avgCadenceSpm).toBeNull();
    expect(run.avgStepLengthM).toBeNull();
    expect(run.warnings).toContain('no-cadence');
    expect(form).toBeNull();
  });

  it('uses the device step length when recorded, else speed / step rate', () => {
    const withDevice = oneRun({
      start: new Date('2026-02-05T18:00:00Z'),
      sessions: [{ ...easy, stepRateSpm: 180, stepLength: true }],
    });
    // 3 m/s at 180 steps/min = 3 steps/s → 1.0 m per step.
    expect(withDevice.run.avgStepLengthM).toBeCloseTo(1.0, 3);
    expect(withDevice.form?.deviceStepLengthM).toBeCloseTo(1.0, 3);
    const derived = oneRun({
      start: new Date('2026-02-06T18:00:00Z'),
      sessions: [{ ...easy, stepRateSpm: 150 }],
    });
    // 3 m/s at 150 steps/min = 2.5 steps/s → 1.2 m.
    expect(derived.run.avgStepLengthM).toBeCloseTo(1.2, 3);
    expect(derived.form?.deviceStepLengthM).toBeNull();
  });

  it('summarises a late-run drop in step rate', () => {
    const { form } = oneRun({
      start: new Date('2026-02-07T18:00:00Z'),
      sessions: [{ durationS: 1000, speedMps: 3, stepRateSpm: (t) => (t <= 800 ? 170 : 160) }],
    });
    expect(form?.firstFifthCadenceSpm).toBeCloseTo(170, 1);
    expect(form?.lastFifthCadenceSpm).toBeCloseTo(160, 1);
  });

  it('flags a run whose watch clock was never set, without shifting it', () => {
    const { run } = oneRun({ start: new Date('1990-03-01T10:00:00Z'), sessions: [easy] });
    expect(run.warnings).toContain('clock-not-set');
    expect(Date.parse(run.startTime)).toBe(Date.parse('1990-03-01T10:00:00Z'));
  });

  it('skips rides, swims and walks with the sport as reason', () => {
    for (const sport of ['cycling', 'swimming', 'walking']) {
      const o = read(
        synthFit({ start: new Date('2026-03-01T10:00:00Z'), sessions: [{ ...easy, sport }] }),
      );
      expect(o).toEqual({ kind: 'skipped', reason: `not a run (${sport})` });
    }
  });

  it('skips FIT files that are not activities', () => {
    const o = read(
      synthFit({ start: new Date('2026-03-01T10:00:00Z'), fileType: 'course', sessions: [easy] }),
    );
    expect(o).toEqual({ kind: 'skipped', reason: 'not an activity file (FIT file type "course")' });
  });

  it('keeps the readable part of a truncated file, flagged partial', () => {
    const bytes = synthFit({
      start: new Date('2026-03-02T10:00:00Z'),
      localOffsetMin: 60,
      sessions: [easy],
    });
    const { run } = runsOf(read(bytes.slice(0, Math.floor(bytes.length * 0.6))))[0] as ImportedRun;
    expect(run.partial).toBe(true);
    expect(run.warnings).toEqual(expect.arrayContaining(['truncated', 'rebuilt-from-records']));
    expect(Date.parse(run.startTime)).toBe(Date.parse('2026-03-02T10:00:00Z'));
    expect(run.distanceM).toBeGreaterThan(1000);
    expect(run.distanceM).toBeLessThan(3600);
  });

  it('keeps a file whose CRC fails, flagged partial', () => {
    const bytes = synthFit({ start: new Date('2026-03-03T10:00:00Z'), sessions: [easy] }).slice();
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    const { run } = runsOf(read(bytes))[0] as ImportedRun;
    expect(run.partial).toBe(true);
    expect(run.warnings).toContain('crc-mismatch');
    expect(run.distanceM).toBeCloseTo(3600, 0);
  });

  it('fails empty files and files that are not FIT, saying so', () => {
    expect(read(new Uint8Array())).toEqual({ kind: 'failed', error: 'empty file (0 bytes)' });
    const text = read(new TextEncoder().encode('my training notes\n'.repeat(10)));
    expect(text.kind).toBe('failed');
    expect(text.kind === 'failed' && text.error).toMatch(/not a FIT file/);
  });
});

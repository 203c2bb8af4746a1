import { describe, expect, it } from 'vitest';
import {
  formatDistance,
  formatDuration,
  formatPace,
  formatStart,
  RUN_HEADER,
  runLine,
} from '../src/format.ts';
import type { Run, RunId } from '../src/model.ts';

describe('formatDistance', () => {
  it('prints kilometres with two decimals in metric', () => {
    expect(formatDistance(5030, 'metric')).toBe('5.03 km');
    expect(formatDistance(21_097.5, 'metric')).toBe('21.10 km');
  });

  it('prints miles with two decimals in imperial', () => {
    // 5030 / 1609.344 = 3.1255… mi
    expect(formatDistance(5030, 'imperial')).toBe('3.13 mi');
    expect(formatDistance(1609.344, 'imperial')).toBe('1.00 mi');
  });

  it('prints a known zero as zero, not as unknown', () => {
    expect(formatDistance(0, 'metric')).toBe('0.00 km');
  });

  it('prints an unknown distance as a dash', () => {
    expect(formatDistance(null, 'metric')).toBe('–');
    expect(formatDistance(null, 'imperial')).toBe('–');
  });
});

describe('formatDuration', () => {
  it('prints minutes and seconds under an hour', () => {
    expect(formatDuration(1445)).toBe('24:05'); // 24·60 + 5
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(0)).toBe('0:00');
  });

  it('prints hours, minutes and seconds from an hour on', () => {
    expect(formatDuration(3723)).toBe('1:02:03'); // 3600 + 2·60 + 3
    expect(formatDuration(3600)).toBe('1:00:00');
  });

  it('rounds to the second and carries into the minute and hour', () => {
    expect(formatDuration(59.6)).toBe('1:00');
    expect(formatDuration(3599.5)).toBe('1:00:00');
    expect(formatDuration(125.4)).toBe('2:05');
  });

  it('prints an unknown duration as a dash', () => {
    expect(formatDuration(null)).toBe('–');
  });
});

describe('formatPace', () => {
  it('prints minutes per kilometre in metric', () => {
    // 3 m/s: 1000 / 3 = 333.3 s → 5:33 per km
    expect(formatPace(3, 'metric')).toBe('5:33 /km');
    // 2.5 m/s: 1000 / 2.5 = 400 s → 6:40 per km
    expect(formatPace(2.5, 'metric')).toBe('6:40 /km');
  });

  it('prints minutes per mile in imperial', () => {
    // 3 m/s: 1609.344 / 3 = 536.4 s → 8:56 per mile
    expect(formatPace(3, 'imperial')).toBe('8:56 /mi');
  });

  it('rounds a pace of 4:59.6 up to 5:00, not 4:60', () => {
    expect(formatPace(1000 / 299.6, 'metric')).toBe('5:00 /km');
  });

  it('prints a dash for an unknown, zero or negative speed', () => {
    expect(formatPace(null, 'metric')).toBe('–');
    expect(formatPace(0, 'metric')).toBe('–');
    expect(formatPace(-1, 'imperial')).toBe('–');
  });
});

describe('run lines', () => {
  const run = (over: Partial<Run> = {}): Run => ({
    id: 'fit:0123456789ab' as RunId,
    source: 'fit',
    sourceId: '0123456789ab',
    sources: [{ source: 'fit', sourceId: '0123456789ab' }],
    startTime: '2019-02-16T07:05:00+09:00',
    timezone: 'Asia/Tokyo',
    sport: 'running',
    subSport: null,
    distanceM: 5030,
    movingTimeS: 1445,
    elapsedTimeS: 1500,
    avgSpeedMps: 3,
    avgCadenceSpm: 171.6,
    avgStepLengthM: 1.047,
    avgHeartRateBpm: 150,
    device: 'garmin fr55',
    gearId: null,
    partial: false,
    excluded: null,
    warnings: [],
    ...over,
  });
  const cell = (line: string[], column: string): string | undefined =>
    line[RUN_HEADER.indexOf(column)];

  it("prints the start in the run's own local time, wherever it is shown", () => {
    expect(formatStart(run())).toBe('2019-02-16 07:05');
    expect(formatStart(run({ startTime: '2019-02-15T22:05:00+00:00' }))).toBe('2019-02-15 22:05');
  });

  it('prints each measured value in the chosen units', () => {
    const line = runLine(run(), 'imperial');
    expect(cell(line, 'distance')).toBe('3.13 mi');
    expect(cell(line, 'time')).toBe('24:05'); // the moving time, not the elapsed 25:00
    expect(cell(line, 'pace')).toBe('8:56 /mi');
    expect(cell(line, 'steps')).toBe('172 spm');
    expect(cell(line, 'step')).toBe('1.05 m');
    expect(cell(line, 'device')).toBe('garmin fr55');
  });

  it('prints every unknown value as a dash', () => {
    const line = runLine(
      run({
        distanceM: null,
        movingTimeS: null,
        elapsedTimeS: null,
        avgSpeedMps: null,
        avgCadenceSpm: null,
        avgStepLengthM: null,
        device: null,
      }),
      'metric',
    );
    for (const column of ['distance', 'time', 'pace', 'steps', 'step', 'device']) {
      expect(cell(line, column), column).toBe('–');
    }
  });

  it('falls back to the elapsed time when the moving time is unknown', () => {
    expect(cell(runLine(run({ movingTimeS: null }), 'metric'), 'time')).toBe('25:00');
  });

  it('notes a partial run and its warnings, but not a missing local time', () => {
    const line = runLine(
      run({ partial: true, warnings: ['crc-mismatch', 'no-local-time', 'no-cadence'] }),
      'metric',
    );
    expect(cell(line, 'notes')).toBe('partial,crc-mismatch,no-cadence');
    expect(cell(runLine(run(), 'metric'), 'notes')).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { isSameRun, mayReplace, runQuality } from '../src/merge.ts';
import type { Run, RunId } from '../src/model.ts';

/** A complete 10 km FIT run at 07:00 local (+01:00) taking 55 min; override what a case needs. */
function run(over: Partial<Run> = {}): Run {
  return {
    id: 'fit:0123456789ab' as RunId,
    source: 'fit',
    sourceId: '0123456789ab',
    sources: [{ source: 'fit', sourceId: '0123456789ab' }],
    startTime: '2025-03-10T07:00:00+01:00',
    timezone: 'Europe/Berlin',
    sport: 'running',
    subSport: null,
    distanceM: 10_000,
    movingTimeS: 3300,
    elapsedTimeS: 3300,
    avgSpeedMps: 3.03,
    avgCadenceSpm: 170,
    avgStepLengthM: 1.07,
    avgHeartRateBpm: 150,
    device: 'garmin forerunner 55',
    gearId: null,
    partial: false,
    excluded: null,
    warnings: [],
    ...over,
  };
}

/** The same activity as Strava would give it (start in UTC, a different id). */
function strava(over: Partial<Run> = {}): Run {
  return run({
    id: 'strava:123456' as RunId,
    source: 'strava',
    sourceId: '123456',
    sources: [{ source: 'strava', sourceId: '123456' }],
    startTime: '2025-03-10T06:00:00+00:00',
    ...over,
  });
}

/** isSameRun must not depend on which record comes first. */
function same(a: Run, b: Run): boolean {
  const ab = isSameRun(a, b);
  expect(isSameRun(b, a)).toBe(ab);
  return ab;
}

describe('isSameRun: start and distance (DESIGN §3)', () => {
  it('matches a FIT run and its Strava copy written with a different offset for the same instant', () => {
    expect(same(run(), strava())).toBe(true);
  });

  it('matches starts exactly 60 s apart', () => {
    expect(same(run(), strava({ startTime: '2025-03-10T06:01:00+00:00' }))).toBe(true);
  });

  it('does not match starts 61 s apart', () => {
    expect(same(run(), strava({ startTime: '2025-03-10T06:01:01+00:00' }))).toBe(false);
  });

  it('matches distances exactly 3 % apart', () => {
    // |9700 − 10000| = 300 ≤ 3 % of the longer, 10000 → 300
    expect(same(run({ distanceM: 9700 }), strava())).toBe(true);
  });

  it('does not match distances just over 3 % apart', () => {
    // |9699 − 10000| = 301 > 300
    expect(same(run({ distanceM: 9699 }), strava())).toBe(false);
  });

  it('matches on the start alone when either record has no distance', () => {
    expect(same(run({ distanceM: null }), strava())).toBe(true);
  });
});

describe('isSameRun: a file cut short', () => {
  it('matches a partial record that is a prefix of the complete one', () => {
    // Only 4 km of the 10 km were readable: far more than 3 % short, but the file is partial.
    expect(same(run({ partial: true, distanceM: 4000, elapsedTimeS: 1300 }), strava())).toBe(true);
  });

  it('does not treat two complete records with different distances as one', () => {
    expect(same(run({ distanceM: 4000 }), strava())).toBe(false);
  });

  it('does not match a partial record that is longer than the complete one', () => {
    expect(same(run({ partial: true, distanceM: 12_000 }), strava({ device: null }))).toBe(false);
  });

  it('matches two records of one run cut short at different points', () => {
    const a = run({ partial: true, distanceM: 4000 });
    const b = run({ partial: true, distanceM: 7000, sourceId: 'other' });
    expect(same(a, b)).toBe(true);
  });

  it('does not match a partial prefix that started more than 60 s apart', () => {
    const cut = run({ partial: true, distanceM: 4000, startTime: '2025-03-10T07:01:01+01:00' });
    expect(same(cut, strava())).toBe(false);
  });
});

describe('isSameRun: a start shifted by whole hours', () => {
  // A re-saved file with local time written as UTC: 07:00 local became "07:00Z", one hour late.
  const shifted = (over: Partial<Run> = {}): Run =>
    run({ startTime: '2025-03-10T07:00:00+00:00', warnings: ['no-local-time'], ...over });

  it('matches a record without local time that is exactly one hour off, with the same duration and distance', () => {
    expect(same(shifted(), strava())).toBe(true);
  });

  it('matches a whole-hour shift that is also up to 60 s off', () => {
    // 1 h 60 s apart: 3660 % 3600 = 60 ≤ 60
    expect(same(shifted({ startTime: '2025-03-10T07:01:00+00:00' }), strava())).toBe(true);
  });

  it('matches a whole-hour shift that is up to 60 s short of the hour', () => {
    // 59 min apart: 3600 − 3540 = 60 ≤ 60
    expect(same(shifted({ startTime: '2025-03-10T06:59:00+00:00' }), strava())).toBe(true);
  });

  it('does not match a shift that is 61 s away from a whole hour', () => {
    // 3661 % 3600 = 61 > 60, and 3539 s is 61 s short of the hour
    expect(same(shifted({ startTime: '2025-03-10T07:01:01+00:00' }), strava())).toBe(false);
    expect(same(shifted({ startTime: '2025-03-10T06:58:59+00:00' }), strava())).toBe(false);
  });

  it('matches a shift of 14 hours (the widest zone error)', () => {
    expect(same(shifted({ startTime: '2025-03-10T20:00:00+00:00' }), strava())).toBe(true);
  });

  it('does not match a shift of 15 hours', () => {
    expect(same(shifted({ startTime: '2025-03-10T21:00:00+00:00' }), strava())).toBe(false);
  });

  it('does not match two different runs an hour apart when both know their zone', () => {
    // Same 10 km in the same 55 min, at 07:00 and 08:00 local: a double day, not a duplicate.
    const second = run({ id: 'fit:fedcba987654' as RunId, startTime: '2025-03-10T08:00:00+01:00' });
    expect(same(run(), second)).toBe(false);
  });

  it('allows 60 s of difference in duration on a short run', () => {
    // 20 min: 2 % of 1260 s is 25.2 s, so the 60 s floor applies
    const short = { elapsedTimeS: 1200, movingTimeS: 1200, distanceM: 4000 };
    expect(same(shifted(short), strava({ ...short, elapsedTimeS: 1260 }))).toBe(true);
    expect(same(shifted(short), strava({ ...short, elapsedTimeS: 1261 }))).toBe(false);
  });

  it('allows 2 % of difference in duration on a long run', () => {
    // 3 h: |10800 − 11020| = 220 ≤ 2 % of 11020 = 220.4; |10800 − 11025| = 225 > 220.5
    const long = { elapsedTimeS: 10_800, movingTimeS: 10_800, distanceM: 30_000 };
    expect(same(shifted(long), strava({ ...long, elapsedTimeS: 11_020 }))).toBe(true);
    expect(same(shifted(long), strava({ ...long, elapsedTimeS: 11_025 }))).toBe(false);
  });

  it('falls back to the moving time when the elapsed time is unknown', () => {
    expect(same(shifted({ elapsedTimeS: null, movingTimeS: 3300 }), strava())).toBe(true);
    expect(same(shifted({ elapsedTimeS: null, movingTimeS: 3500 }), strava())).toBe(false);
  });

  it('does not match when the distances differ by more than 3 %', () => {
    expect(same(shifted({ distanceM: 9699 }), strava())).toBe(false);
  });

  it('does not match on a whole-hour shift when a duration or distance is unknown', () => {
    expect(same(shifted({ elapsedTimeS: null, movingTimeS: null }), strava())).toBe(false);
    expect(same(shifted({ distanceM: null }), strava())).toBe(false);
  });

  it('does not accept a cut-short prefix across a whole-hour shift', () => {
    expect(same(shifted({ partial: true, distanceM: 4000 }), strava())).toBe(false);
  });
});

describe('isSameRun: a corrupt copy from the same device (issue 12)', () => {
  it('matches two FIT records from one watch starting together whatever their distances', () => {
    // One watch records one run at a time: a valid-CRC copy with a wild distance is that run.
    expect(same(run(), run({ sourceId: 'copy', distanceM: 42_000 }))).toBe(true);
  });

  it('matches a damaged Strava or FIT record from the same device', () => {
    const bogus = run({ distanceM: 30_000, warnings: ['implausible-step-rate'] });
    expect(same(bogus, strava())).toBe(true);
  });

  it('does not match clean FIT and Strava records with different distances (DESIGN §3)', () => {
    expect(same(run({ distanceM: 4000 }), strava())).toBe(false);
  });

  it('does not match records from different watches with different distances', () => {
    expect(same(run(), run({ sourceId: 'other', device: 'coros pace 3', distanceM: 4000 }))).toBe(
      false,
    );
  });

  it('does not match a copy from the same watch starting more than 60 s apart', () => {
    const later = run({
      sourceId: 'copy',
      distanceM: 4000,
      startTime: '2025-03-10T07:01:01+01:00',
    });
    expect(same(run(), later)).toBe(false);
  });
});

describe('runQuality', () => {
  const better = (a: Run, b: Run) => expect(runQuality(a)).toBeGreaterThan(runQuality(b));
  const bare = {
    movingTimeS: null,
    avgCadenceSpm: null,
    avgStepLengthM: null,
    avgHeartRateBpm: null,
    device: null,
  } satisfies Partial<Run>;

  it('prefers a complete record to a partial one, even a partial FIT file that knows more', () => {
    better(strava({ ...bare, partial: false }), run({ partial: true }));
  });

  it('prefers FIT to Strava, even when Strava knows more fields', () => {
    better(run(bare), strava());
  });

  it('prefers FIT to Strava even when the watch clock was not set', () => {
    better(run({ warnings: ['clock-not-set'] }), strava());
  });

  it('prefers a record with a set clock to one whose clock was not set', () => {
    better(run({ ...bare }), run({ warnings: ['clock-not-set'] }));
  });

  it('prefers a record with a known zone to one without local time', () => {
    better(run({ ...bare }), run({ warnings: ['no-local-time'] }));
  });

  it('counts an unset clock as worse than a missing local time', () => {
    better(run({ warnings: ['no-local-time'] }), run({ warnings: ['clock-not-set'] }));
  });

  it('never prefers a record with an impossible value to a clean one, even one knowing less', () => {
    better(strava(bare), run({ avgCadenceSpm: null, warnings: ['implausible-step-rate'] }));
  });

  it('never prefers a FIT file with a CRC fault or cut short to a clean Strava record', () => {
    better(strava(bare), run({ warnings: ['crc-mismatch'] }));
    better(strava(bare), run({ warnings: ['truncated'] }));
  });

  it('counts only plausible fields (science.md: impossible numbers are not evidence)', () => {
    expect(runQuality(run({ avgCadenceSpm: 4 }))).toBe(runQuality(run({ avgCadenceSpm: null })));
    expect(runQuality(run({ distanceM: 4e7 }))).toBe(runQuality(run({ distanceM: null })));
  });

  it('prefers the record that knows more fields when everything else is equal', () => {
    better(strava(), strava({ avgHeartRateBpm: null }));
    better(run({ avgCadenceSpm: null }), run({ avgCadenceSpm: null, device: null }));
  });
});

describe('mayReplace', () => {
  it('lets a complete file replace the partial record of the same run', () => {
    expect(mayReplace(run({ sourceId: 'full' }), run({ partial: true, distanceM: 4000 }))).toBe(
      true,
    );
  });

  it('lets the FIT file replace the Strava record of the run', () => {
    expect(mayReplace(run(), strava())).toBe(true);
  });

  it('never lets a second copy from the same watch replace a clean run, even one knowing more', () => {
    // A valid-CRC corrupt copy can turn a field the honest file left empty into a value.
    const honest = run({ avgHeartRateBpm: null });
    expect(mayReplace(run({ sourceId: 'copy', avgHeartRateBpm: 128 }), honest)).toBe(false);
  });

  it('lets a record from another watch that knows more replace a clean one', () => {
    const other = run({ sourceId: 'pod', device: 'stryd', avgHeartRateBpm: 150 });
    expect(mayReplace(other, run({ avgHeartRateBpm: null }))).toBe(true);
  });
});

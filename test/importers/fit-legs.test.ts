import { Encoder, Profile } from '@garmin/fitsdk';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fit, { MAX_RUNNING_LEGS } from '../../importers/fit.ts';
import type { ImportOutcome } from '../../importers/types.ts';

const BERLIN = { timezone: 'Europe/Berlin' };
const START = new Date('2026-05-02T06:00:00Z');
const read = (bytes: Uint8Array): ImportOutcome =>
  fit.read({ bytes, sha256: createHash('sha256').update(bytes).digest('hex') }, BERLIN);

/**
 * A real FIT file (Garmin's Encoder) whose records cover 30 min from START at 3 m/s, with the
 * running sessions starting at `sessionStarts` (each 30 min long, 5.4 km).
 */
function fileWithSessions(sessionStarts: Date[]): Uint8Array {
  const enc = new Encoder();
  const write = (name: string, fields: Record<string, unknown>) => {
    const n = Profile.MesgNum[name];
    if (n === undefined) throw new Error(name);
    enc.onMesg(n, fields);
  };
  write('FILE_ID', {
    type: 'activity',
    manufacturer: 'garmin',
    product: 1765,
    timeCreated: START,
    serialNumber: 1,
  });
  for (let t = 0; t <= 1800; t += 5) {
    write('RECORD', {
      timestamp: new Date(START.getTime() + t * 1000),
      distance: 3 * t,
      speed: 3,
      heartRate: 140,
    });
  }
  for (const s of sessionStarts) {
    write('SESSION', {
      timestamp: new Date(s.getTime() + 1800_000),
      startTime: s,
      totalElapsedTime: 1800,
      totalTimerTime: 1800,
      totalDistance: 5400,
      avgSpeed: 3,
      sport: 'running',
      subSport: 'generic',
      event: 'session',
      eventType: 'stop',
    });
  }
  return enc.close();
}

describe('legs per FIT file are bounded by its own time span (issue 21 item 6)', () => {
  it('3,000 sessions from 2020 to 2028 in a 30 min file: only the leg its records hold is a run', () => {
    const far = Array.from(
      { length: 2999 },
      (_, i) => new Date(Date.UTC(2020, 0, 1) + i * 86_400_000),
    );
    const out = read(fileWithSessions([START, ...far]));
    expect(out.kind).toBe('runs');
    if (out.kind !== 'runs') return;
    expect(out.runs).toHaveLength(1);
    expect(out.runs[0]?.run.startTime).toBe('2026-05-02T08:00:00+02:00');
    expect(out.runs[0]?.run.warnings).toContain('sessions-dropped');
  });

  it('a file whose sessions all start outside its records fails, naming why', () => {
    const out = read(fileWithSessions([new Date('2028-01-01T00:00:00Z')]));
    expect(out).toEqual({
      kind: 'failed',
      error: expect.stringMatching(/outside the time its records span/),
    });
  });

  it(`keeps at most one leg per minute of records (and ${MAX_RUNNING_LEGS} at most)`, () => {
    const many = Array.from({ length: 200 }, (_, i) => new Date(START.getTime() + i * 5_000));
    const out = read(fileWithSessions(many));
    if (out.kind !== 'runs') throw new Error(JSON.stringify(out));
    expect(out.runs.length).toBeLessThanOrEqual(Math.min(MAX_RUNNING_LEGS, 31));
    expect(out.runs.length).toBeGreaterThan(1);
  });

  it('keeps a one-session file as it is, with no warning', () => {
    const out = read(fileWithSessions([START]));
    if (out.kind !== 'runs') throw new Error(JSON.stringify(out));
    expect(out.runs).toHaveLength(1);
    expect(out.runs[0]?.run.warnings).not.toContain('sessions-dropped');
  });
});

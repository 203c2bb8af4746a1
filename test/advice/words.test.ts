import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { day, onDay } from '../../src/advice/words.ts';

describe('the days advice names', () => {
  const zones = ['Europe/Berlin', 'America/Los_Angeles', 'Pacific/Chatham', 'UTC'];

  it('writes "Tue 24 Nov" in the runner\'s zone, as luxon would, for every hour of a year', () => {
    for (const zone of zones) {
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3_600_000 * 7) {
        const iso = new Date(t).toISOString();
        expect(day(iso, zone), `${iso} in ${zone}`).toBe(
          DateTime.fromMillis(t, { zone }).setLocale('en-US').toFormat('ccc d LLL'),
        );
      }
    }
  });

  it('says today and yesterday by the local calendar, across a change of clocks', () => {
    // Berlin's clocks go forward on Sun 29 Mar 2026 at 01:00 UTC.
    const now = DateTime.fromISO('2026-03-29T21:30:00Z');
    expect(day('2026-03-28T23:30:00Z', 'Europe/Berlin', now)).toBe('today'); // 00:30 local, 29 Mar
    expect(day('2026-03-28T22:30:00Z', 'Europe/Berlin', now)).toBe('yesterday'); // 23:30, 28 Mar
    expect(day('2026-03-27T22:30:00Z', 'Europe/Berlin', now)).toBe('Fri 27 Mar');
    expect(onDay('2026-03-27T22:30:00Z', 'Europe/Berlin', now)).toBe('on Fri 27 Mar');
    // In Los Angeles (now 14:30 on 29 Mar) the same instants are the afternoons before.
    expect(day('2026-03-28T23:30:00Z', 'America/Los_Angeles', now)).toBe('yesterday');
    expect(day('2026-03-27T22:30:00Z', 'America/Los_Angeles', now)).toBe('Fri 27 Mar');
  });
});

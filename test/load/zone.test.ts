import { describe, expect, it } from 'vitest';
import { isoInZone, zoneForOffset } from '../../src/load/zone.ts';

const unix = (iso: string): number => Date.parse(iso) / 1000;

const JANUARY = unix('2025-01-15T06:30:00Z');
const JULY = unix('2025-07-15T06:30:00Z');

describe('zoneForOffset', () => {
  it("keeps the runner's own zone in winter when the offset is its winter offset", () => {
    expect(zoneForOffset(JANUARY, 60, 'Europe/Berlin')).toBe('Europe/Berlin');
  });

  it("keeps the runner's own zone in summer when the offset is its summer offset", () => {
    expect(zoneForOffset(JULY, 120, 'Europe/Berlin')).toBe('Europe/Berlin');
  });

  it("uses a fixed zone when the offset is the home zone's offset at another time of year", () => {
    // +120 is Berlin's summer offset, but in January Berlin is at +60: the run was elsewhere.
    expect(zoneForOffset(JANUARY, 120, 'Europe/Berlin')).toBe('UTC+2');
    expect(zoneForOffset(JULY, 60, 'Europe/Berlin')).toBe('UTC+1');
  });

  it('uses a fixed negative zone for a run abroad', () => {
    // A Denver runner in Phoenix in July: Denver is at −6 h, Phoenix at −7 h.
    expect(zoneForOffset(JULY, -360, 'America/Denver')).toBe('America/Denver');
    expect(zoneForOffset(JULY, -420, 'America/Denver')).toBe('UTC-7');
  });

  it('names half-hour offsets and zero offsets', () => {
    expect(zoneForOffset(JANUARY, 330, 'Europe/Berlin')).toBe('UTC+5:30');
    expect(zoneForOffset(JANUARY, 0, 'Europe/Berlin')).toBe('UTC');
  });

  it('follows the home zone across the instant the clocks go forward', () => {
    // Berlin changes from +01:00 to +02:00 at 2025-03-30T01:00:00Z.
    const before = unix('2025-03-30T00:59:59Z');
    const after = unix('2025-03-30T01:00:00Z');
    expect(zoneForOffset(before, 60, 'Europe/Berlin')).toBe('Europe/Berlin');
    expect(zoneForOffset(after, 120, 'Europe/Berlin')).toBe('Europe/Berlin');
    expect(zoneForOffset(after, 60, 'Europe/Berlin')).toBe('UTC+1');
  });

  it('falls back to a fixed zone when the preferred zone is not a real zone', () => {
    expect(zoneForOffset(JANUARY, 60, 'Mars/Base')).toBe('UTC+1');
  });
});

describe('isoInZone', () => {
  it('prints a UTC time with +00:00, never Z', () => {
    expect(isoInZone(JANUARY, 'UTC')).toBe('2025-01-15T06:30:00+00:00');
  });

  it('prints +00:00 for a named zone at a zero offset', () => {
    expect(isoInZone(JANUARY, 'Europe/London')).toBe('2025-01-15T06:30:00+00:00');
  });

  it('prints the local time and offset of a fixed zone', () => {
    expect(isoInZone(JANUARY, 'UTC+2')).toBe('2025-01-15T08:30:00+02:00');
    expect(isoInZone(JANUARY, 'UTC-7')).toBe('2025-01-14T23:30:00-07:00');
    expect(isoInZone(JANUARY, 'UTC+5:30')).toBe('2025-01-15T12:00:00+05:30');
  });

  it("prints an IANA zone's winter and summer offsets", () => {
    expect(isoInZone(JANUARY, 'Europe/Berlin')).toBe('2025-01-15T07:30:00+01:00');
    expect(isoInZone(JULY, 'Europe/Berlin')).toBe('2025-07-15T08:30:00+02:00');
  });

  it('rounds to the nearest whole second', () => {
    expect(isoInZone(JANUARY + 0.6, 'UTC')).toBe('2025-01-15T06:30:01+00:00');
    expect(isoInZone(JANUARY + 0.4, 'UTC')).toBe('2025-01-15T06:30:00+00:00');
  });

  it('prints the same instant it was given, whatever the zone', () => {
    for (const zone of [
      'UTC',
      'UTC+2',
      'UTC-7',
      'Europe/Berlin',
      'America/Denver',
      'Asia/Kolkata',
    ]) {
      expect(Date.parse(isoInZone(JULY, zone)) / 1000).toBe(JULY);
    }
  });
});

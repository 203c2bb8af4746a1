import { DateTime, IANAZone } from 'luxon';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as ZoneModuleType from '../../src/load/zone.ts';

type ZoneModule = typeof ZoneModuleType;

const savedTz = process.env.TZ;
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

/** A fresh copy of the zone module, so each case can make its own zone the process's. */
async function freshZones(): Promise<ZoneModule> {
  vi.resetModules();
  return import('../../src/load/zone.ts');
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Instants to compare: every day from 1995 to 2040, and every 15 minutes of the two days around
 * each change of offset found (where a wrong rule would show).
 */
function instants(zone: IANAZone): number[] {
  const out: number[] = [];
  const from = Date.UTC(1995, 0, 1);
  const to = Date.UTC(2040, 0, 1);
  let before = zone.offset(from);
  for (let t = from; t < to; t += DAY) {
    out.push(t);
    const now = zone.offset(t);
    if (now !== before) {
      for (let u = t - 2 * DAY; u < t; u += HOUR / 4) out.push(u);
      before = now;
    }
  }
  return out;
}

describe("the runner's zone read from the process's own clock (start-up without Intl)", () => {
  const zones = [
    'Europe/Berlin',
    'America/New_York',
    'America/Sao_Paulo',
    'Australia/Lord_Howe', // a 30-minute summer time
    'Pacific/Chatham', // +12:45 / +13:45
    // India: Intl's list names it by its older spelling on some ICU versions.
    Intl.supportedValuesOf('timeZone').includes('Asia/Kolkata') ? 'Asia/Kolkata' : 'Asia/Calcutta',
    'Africa/Casablanca', // summer time suspended each Ramadan
    'US/Eastern', // an alias (of America/New_York) that Intl does not list
  ];

  it.each(zones)(
    'gives the same offsets as Intl in %s, 1995–2040, around every change',
    async (name) => {
      const { useProcessZone, zoneOf, isoInZone } = await freshZones();
      useProcessZone(name);
      expect(process.env.TZ).toBe(name);
      const mine = zoneOf(name);
      const intl = IANAZone.create(name);
      expect(mine).not.toBe(intl);
      const ts = instants(intl);
      expect(ts.length).toBeGreaterThan(16_000);
      const wrong = ts.filter((t) => mine.offset(t) !== intl.offset(t));
      expect(wrong.map((t) => new Date(t).toISOString()).slice(0, 3)).toEqual([]);
      // The written forms too: what lands in a run's startTime and in the JSON.
      for (const t of ts.filter((_, i) => i % 97 === 0)) {
        expect(mine.formatOffset(t, 'short')).toBe(intl.formatOffset(t, 'short'));
        expect(mine.formatOffset(t, 'narrow')).toBe(intl.formatOffset(t, 'narrow'));
        expect(mine.formatOffset(t, 'techie')).toBe(intl.formatOffset(t, 'techie'));
      }
      for (const t of ts.filter((_, i) => i % 211 === 0)) {
        expect(isoInZone(t / 1000, name)).toBe(
          DateTime.fromMillis(t, { zone: intl }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ"),
        );
      }
      expect(mine.equals(intl)).toBe(true);
      expect(intl.equals(mine)).toBe(true);
    },
  );

  it('asks Intl again when something else changes the process zone afterwards', async () => {
    const { useProcessZone, zoneOf } = await freshZones();
    useProcessZone('Europe/Berlin');
    process.env.TZ = 'America/New_York';
    const july = Date.UTC(2026, 6, 1);
    expect(zoneOf('Europe/Berlin').offset(july)).toBe(120);
  });

  it('leaves UTC and other spellings to luxon, and knows zones, aliases and unknown names apart', async () => {
    const { useProcessZone, zoneOf, isZoneName } = await freshZones();
    delete process.env.TZ;
    useProcessZone('UTC');
    expect(process.env.TZ).toBeUndefined();
    useProcessZone('europe/berlin'); // Intl takes any letter case; the process clock does not
    expect(process.env.TZ).toBeUndefined();
    expect(zoneOf('europe/berlin').offset(Date.UTC(2026, 6, 1))).toBe(120);
    expect(isZoneName('europe/berlin')).toBe(true);
    expect(isZoneName('Europe/Berlin')).toBe(true);
    expect(Intl.supportedValuesOf('timeZone')).not.toContain('US/Eastern');
    expect(isZoneName('US/Eastern')).toBe(true);
    expect(isZoneName('Africa/Abidjan')).toBe(true); // at UTC all year: Intl's list says so
    expect(isZoneName('UTC')).toBe(true);
    for (const bad of [
      'Mars/Olympus_Mons',
      'Europe/Nowhere',
      '',
      'XYZ5',
      'UTC+2',
      ':Europe/Berlin',
    ])
      expect(isZoneName(bad), bad).toBe(false);
    // Asking changes nothing the process sees.
    expect(process.env.TZ).toBeUndefined();
    process.env.TZ = 'Asia/Tokyo';
    expect(isZoneName('America/Denver')).toBe(true);
    expect(process.env.TZ).toBe('Asia/Tokyo');
    expect(new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset()).toBe(-540);
  });
});

import { formatDistance, type Units } from '../format.ts';
import type { Shoe } from '../model.ts';

/** A pair's distance to one decimal: "412.3 km" / "256.2 mi". */
export function shoeDistance(s: Pick<Shoe, 'distanceM'>, units: Units): string {
  return formatDistance(s.distanceM, units).replace(/(\.\d)\d /, '$1 ');
}

/** What a pair is to the runner: "new runs get it", "put aside 2026-10-01", "from Strava". */
export function shoeNotes(s: Shoe): string {
  return [
    s.isDefault ? 'new runs get it' : '',
    s.retiredOn ? `put aside ${s.retiredOn}` : '',
    s.stravaGearId ? 'from Strava' : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** One row of `kneecheck shoes`. */
export function shoeLine(s: Shoe, units: Units): string[] {
  return [String(s.id), s.name, s.startedOn, shoeDistance(s, units), String(s.runs), shoeNotes(s)];
}

import { isStravaRun } from '../../importers/strava.ts';
import type { StravaActivity } from '../../importers/strava-api.ts';
import type { StravaDeps } from './session.ts';
import type { StravaApi } from './client.ts';

/**
 * Strava shoes (issue 11 part B): the runs' `gear_id`s seen in a sync that kneecheck does not know
 * yet cost one `GET /athlete` (its `shoes` carry the names); each pair becomes a kneecheck pair and
 * the runs naming it get it (unless the runner chose another). Nothing is asked when every
 * gear id is known, so a routine sync costs no extra request.
 */
export async function mapStravaShoes(
  deps: Pick<StravaDeps, 'store' | 'now'>,
  api: Pick<StravaApi, 'athlete'>,
  activities: readonly StravaActivity[],
): Promise<number> {
  const seen = new Set<string>();
  for (const a of activities) if (a.gear_id && isStravaRun(a)) seen.add(a.gear_id);
  const unknown = [...seen].filter((g) => !deps.store.shoes.hasGear(g));
  if (unknown.length === 0) return 0;
  const athlete = await api.athlete();
  const now = deps.now().toISOString();
  let mapped = 0;
  deps.store.batch(() => {
    for (const shoe of athlete.shoes ?? []) {
      if (!shoe.id || !seen.has(shoe.id)) continue;
      deps.store.shoes.mapStravaGear(
        shoe.id,
        (shoe.name ?? '').trim() || `Strava shoes ${shoe.id}`,
        shoe.retired === true,
        now,
      );
      mapped++;
    }
  });
  return mapped;
}

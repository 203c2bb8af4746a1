import { EXIT, KneecheckError } from '../errors.ts';
import type { IntervalsDeps } from './deps.ts';
import { IntervalsClient, IntervalsHttpError } from './http.ts';
import { writeKey, type StoredKey } from './key.ts';

/** Where the runner finds the key, for every message that asks for it. */
export const KEY_HELP = 'intervals.icu → Settings → Developer settings → API key';

/**
 * Checks the key with one request (`GET /api/v1/athlete/{id}`, `0` meaning the key's owner)
 * and stores it, 0600, with the athlete id intervals.icu answered. A refused key or an unknown
 * athlete is a usage error (exit 2) that says what to check; nothing is stored then.
 */
export async function connectIntervals(
  deps: IntervalsDeps,
  given: { athleteId: string; apiKey: string },
): Promise<StoredKey> {
  const apiKey = given.apiKey.trim();
  const athleteId = given.athleteId.trim() || '0';
  if (apiKey.length === 0) {
    throw new KneecheckError(`no API key given: copy it from ${KEY_HELP}`, {
      exitCode: EXIT.usage,
    });
  }
  const client = new IntervalsClient({
    baseUrl: deps.config.intervals.apiUrl,
    apiKey,
    log: deps.log,
    retries: 2,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.backoffMs === undefined ? {} : { backoffMs: deps.backoffMs }),
  });
  let athlete;
  try {
    athlete = await client.athlete(athleteId);
  } catch (e) {
    if (e instanceof IntervalsHttpError && e.isKeyRefused) {
      throw new KneecheckError(
        `intervals.icu refused the API key${athleteId === '0' ? '' : ` for athlete ${athleteId}`} ` +
          `(HTTP ${e.status}); nothing was stored. Check the key (${KEY_HELP})` +
          `${athleteId === '0' ? '' : ' and the athlete id (shown on the same page, like i12345)'}`,
        { exitCode: EXIT.usage, cause: e },
      );
    }
    if (e instanceof IntervalsHttpError && e.status === 404) {
      throw new KneecheckError(
        `intervals.icu knows no athlete ${athleteId}; nothing was stored. Leave --athlete-id out (the key's owner) or copy it from ${KEY_HELP}`,
        { exitCode: EXIT.usage, cause: e },
      );
    }
    throw e;
  }
  const stored: StoredKey = {
    athleteId: athlete.id,
    athleteName: athlete.name ?? null,
    apiKey,
    connectedAt: deps.now().toISOString(),
  };
  writeKey(deps.config.dataDir, stored);
  return stored;
}

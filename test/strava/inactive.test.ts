import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INACTIVE_MESSAGE, StravaInactiveError } from '../../src/strava/http.ts';
import { readInactive } from '../../src/strava/inactive.ts';
import { scheduledSync, syncStrava } from '../../src/strava/sync.ts';
import { createWebhookQueue, parseWebhookEvent } from '../../src/strava/webhook.ts';
import { FakeStrava, type Json } from '../support/fake-strava.ts';
import { captureLogger, connect, makeDeps, type TestDeps } from './helpers.ts';

const fakes: FakeStrava[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

/** Connected and synced once, then the application's owner lets the subscription lapse. */
async function lapsed(lines: string[]): Promise<{ fake: FakeStrava; deps: TestDeps }> {
  const fake = await FakeStrava.start({ activities: 12 });
  fakes.push(fake);
  const deps = makeDeps(fake, { log: captureLogger(lines) });
  expect((await connect(deps)).ok).toBe(true);
  await syncStrava(deps);
  fake.inactive = true;
  return { fake, deps };
}

/** A webhook event as the route hands it to the queue (parsed). */
function eventOf(body: unknown) {
  const e = parseWebhookEvent(body);
  if (!e.ok) throw new Error(e.error);
  return e.value;
}

const errorsIn = (lines: string[]) =>
  lines
    .map((l) => JSON.parse(l) as { level: string; msg: string })
    .filter((l) => l.level === 'error');

describe('a Strava API application made inactive (no owner subscription, since 30 June 2026)', () => {
  it('a sync stops with the plain sentence and keeps every run, the cursor and the tokens', async () => {
    const { deps } = await lapsed([]);
    const runs = deps.store.runs.count();
    expect(runs).toBeGreaterThan(0);
    const tokens = fs.readFileSync(path.join(deps.dataDir, 'strava-tokens.json'), 'utf8');
    const err = await syncStrava(deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StravaInactiveError);
    expect((err as StravaInactiveError).exitCode).toBe(2);
    expect((err as Error).message).toBe(INACTIVE_MESSAGE);
    expect((err as Error).message).toMatch(
      /inactive because its owner has no active Strava subscription.*30 June 2026.*kneecheck intervals connect.*file exports.*local data is untouched/,
    );
    expect(deps.store.runs.count()).toBe(runs);
    expect(fs.readFileSync(path.join(deps.dataDir, 'strava-tokens.json'), 'utf8')).toBe(tokens);
    expect(readInactive(deps.store)).toMatchObject({ message: INACTIVE_MESSAGE });
  });

  it('the daemon logs it once over many syncs and events, deletes nothing, and notes the return', async () => {
    const lines: string[] = [];
    const { fake, deps } = await lapsed(lines);
    const runs = deps.store.runs.count();
    lines.length = 0;
    for (let i = 0; i < 3; i++) expect(await scheduledSync(deps)).toBeNull();
    // Webhook events meet the same refusal: a new activity, a deletion, a deauthorization.
    const queue = createWebhookQueue(deps);
    const stored = [...fake.activities.values()].find((a) => a.sport_type === 'Run') as Json;
    queue.push(eventOf(fake.event('create', fake.addActivity())));
    queue.push(eventOf(fake.event('delete', stored.id as number)));
    queue.push(
      eventOf({
        aspect_type: 'update',
        event_time: Math.floor(Date.now() / 1000),
        object_id: fake.athleteId,
        object_type: 'athlete',
        owner_id: fake.athleteId,
        subscription_id: 1,
        updates: { authorized: 'false' },
      }),
    );
    await queue.idle();
    const errors = errorsIn(lines);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toBe(`Strava sync: ${INACTIVE_MESSAGE}`);
    // Each later refusal (2 syncs, 3 events) only at debug level.
    expect(lines.filter((l) => l.includes('still inactive'))).toHaveLength(5);
    expect(deps.store.runs.count()).toBe(runs);
    expect(fs.existsSync(path.join(deps.dataDir, 'strava-tokens.json'))).toBe(true);
    expect(readInactive(deps.store)).not.toBeNull();

    // The owner renews: the next sync works, the state is cleared and said once.
    fake.inactive = false;
    const result = await scheduledSync(deps);
    expect(result?.complete).toBe(true);
    expect(result?.imported).toBe(1);
    expect(readInactive(deps.store)).toBeNull();
    expect(lines.filter((l) => l.includes('application is active'))).toHaveLength(1);
  });
});

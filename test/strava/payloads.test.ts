import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  parseStrava,
  stravaActivitySchema,
  stravaAthleteSchema,
  stravaStreamsSchema,
  stravaTokenResponseSchema,
} from '../../importers/strava-api.ts';
import strava from '../../importers/strava.ts';
import type { RunId } from '../../src/model.ts';
import { StravaHttpError } from '../../src/strava/http.ts';
import { syncStrava } from '../../src/strava/sync.ts';
import {
  handleWebhookEvent,
  parseWebhookEvent,
  stravaWebHandlers,
} from '../../src/strava/webhook.ts';
import { FakeStrava, type Json } from '../support/fake-strava.ts';
import { captureLogger, connect, makeDeps } from './helpers.ts';

const FIXTURES = path.resolve('../shared/fixtures/strava');
const haveFixtures = fs.existsSync(FIXTURES);
if (!haveFixtures) console.warn(`skipping the recorded Strava payloads: ${FIXTURES} is absent`);
const fixture = (name: string): unknown =>
  JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as unknown;

describe.skipIf(!haveFixtures)('the recorded Strava payloads parse at the edge', () => {
  it('reads every activity of a list page, the manual run without cadence keys too', () => {
    const page = fixture('activities-page-1.json') as unknown[];
    const parsed = page.map((a) => parseStrava(stravaActivitySchema, a, 'activity'));
    expect(parsed.every((p) => p.ok)).toBe(true);
    const activities = parsed.flatMap((p) => (p.ok ? [p.value] : []));
    const manual = activities.find((a) => a.manual === true);
    expect(manual?.average_cadence).toBeUndefined();
    // A list item has no device_name (the detail does).
    expect(activities.some((a) => a.device_name)).toBe(false);
    const outcomes = activities.map(
      (a) => strava.read({ activity: a, streams: null }, { timezone: 'Europe/Berlin' }).kind,
    );
    expect(outcomes.filter((k) => k === 'runs')).toHaveLength(6);
    expect(outcomes.filter((k) => k === 'skipped')).toHaveLength(2);
  });

  it('reads the detail with its device, and the streams with the 88 s stop', () => {
    const detail = parseStrava(stravaActivitySchema, fixture('activity-detail.json'), 'detail');
    expect(detail.ok && detail.value.device_name).toBeTruthy();
    const streams = stravaStreamsSchema.parse(fixture('streams-run.json'));
    expect(streams.time?.data).toHaveLength(2011);
    expect(streams.moving?.data.filter((m) => m === false).length).toBeGreaterThan(0);
  });

  it('reads the athlete’s shoes and both token answers (only the first carries the athlete)', () => {
    const athlete = stravaAthleteSchema.parse(fixture('athlete.json'));
    expect(athlete.shoes?.length).toBeGreaterThan(0);
    expect(stravaTokenResponseSchema.parse(fixture('oauth-token.json')).athlete?.id).toBe(98765432);
    expect(stravaTokenResponseSchema.parse(fixture('oauth-refresh.json')).athlete).toBeUndefined();
  });

  it('reads the webhook events; deauthorization keeps Strava’s string "false"', () => {
    for (const name of ['create', 'update', 'delete']) {
      expect(parseWebhookEvent(fixture(`webhook-event-${name}.json`)).ok).toBe(true);
    }
    const update = parseWebhookEvent(fixture('webhook-event-update.json'));
    expect(update.ok && update.value.updates).toEqual({
      title: 'Easy 5k before work',
      type: 'Run',
    });
    const deauth = parseWebhookEvent(fixture('athlete-deauthorize.json'));
    expect(deauth.ok && deauth.value.updates.authorized).toBe('false');
  });

  it('names Strava’s own words of an error answer, and nothing of a body that is no Fault', () => {
    const req = { method: 'GET' as const, url: new URL('https://strava.test/api/v3/athlete?x=1') };
    const { body } = fixture('error-401.json') as { body: unknown };
    expect(new StravaHttpError(req, 401, body).message).toBe(
      'Strava GET /api/v3/athlete failed: HTTP 401: Authorization Error (Athlete access_token invalid)',
    );
    expect(new StravaHttpError(req, 502, '<html>').message).toBe(
      'Strava GET /api/v3/athlete failed: HTTP 502',
    );
  });
});

describe('a payload that is not what Strava documents', () => {
  let fake: FakeStrava | null = null;
  afterEach(async () => {
    await fake?.close();
    fake = null;
  });

  it('a webhook body that is not an event is dropped with why, never thrown', () => {
    const parsed = parseWebhookEvent({ object_type: 'activity', aspect_type: 'create' });
    expect(parsed).toEqual({ ok: false, error: expect.stringMatching(/object_id/) as string });
    expect(parseWebhookEvent('not json at all').ok).toBe(false);
  });

  it('the daemon logs a malformed event with its reason and goes on', async () => {
    fake = await FakeStrava.start({ activities: 1 });
    const lines: string[] = [];
    const deps = makeDeps(fake, { log: captureLogger(lines) });
    const web = stravaWebHandlers(deps);
    expect(() => web.event({ object_type: 'club', object_id: 'x' })).not.toThrow();
    await web.idle();
    expect(lines.join('')).toMatch(/not an event, ignored.*object_type/);
  });

  it('a sync reports a malformed activity as failed and imports the others', async () => {
    fake = await FakeStrava.start({ activities: 6 });
    const deps = makeDeps(fake);
    expect((await connect(deps)).ok).toBe(true);
    const [broken, ...rest] = [...fake.activities.values()].filter((a) => a.type === 'Run');
    (broken as Json).distance = 'five kilometres';
    const result = await syncStrava(deps);
    expect(result.failed).toEqual([
      { id: String((broken as Json).id), error: expect.stringMatching(/distance/) as string },
    ]);
    expect(result.complete).toBe(true);
    expect(deps.store.runs.get(`strava:${(broken as Json).id}` as RunId)).toBeNull();
    for (const a of rest) expect(deps.store.runs.get(`strava:${a.id}` as RunId)).not.toBeNull();
  });

  it('a webhook whose activity detail is malformed stores nothing and says why', async () => {
    fake = await FakeStrava.start({ activities: 1 });
    const deps = makeDeps(fake);
    expect((await connect(deps)).ok).toBe(true);
    const id = fake.addActivity();
    (fake.activities.get(id) as Json).start_date = 1761031867;
    const event = parseWebhookEvent(fake.event('create', id));
    if (!event.ok) throw new Error(event.error);
    const outcome = await handleWebhookEvent(deps, event.value);
    expect(outcome).toEqual({
      action: 'ignored',
      reason: expect.stringMatching(new RegExp(`activity ${id} .*start_date`)) as string,
    });
    expect(deps.store.runs.count()).toBe(0);
  });

  it('streams that are not streams cost the form summary, never the run', async () => {
    fake = await FakeStrava.start({ activities: 1 });
    const lines: string[] = [];
    const garbled: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input instanceof Request ? input.url : input).includes('/streams')) return res;
      return new Response(JSON.stringify({ time: { data: 'every second' } }), {
        status: 200,
        headers: res.headers,
      });
    };
    const deps = { ...makeDeps(fake, { log: captureLogger(lines) }), fetch: garbled };
    expect((await connect(deps)).ok).toBe(true);
    const id = fake.addActivity({ start: new Date(Date.now() - 3_600_000) });
    const event = parseWebhookEvent(fake.event('create', id));
    if (!event.ok) throw new Error(event.error);
    expect(await handleWebhookEvent(deps, event.value)).toEqual({
      action: 'imported',
      runId: `strava:${id}`,
    });
    expect(deps.store.runs.getForm(`strava:${id}` as RunId)).toBeNull();
    expect(lines.join('')).toMatch(/Strava streams not read.*time\.data/);
  });
});

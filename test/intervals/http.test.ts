import { afterEach, describe, expect, it } from 'vitest';
import { IntervalsClient, retryAfterMs } from '../../src/intervals/http.ts';
import { silentLogger } from '../../src/log.ts';
import { FakeIntervals, yearOfActivities } from '../support/fake-intervals.ts';

let fake: FakeIntervals | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

describe('the intervals.icu client', () => {
  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('Tue, 08 Dec 2026 01:00:10 GMT', Date.parse('2026-12-08T01:00:00Z'))).toBe(
      10_000,
    );
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs('soon')).toBeNull();
  });

  it('keeps its pace before every request, and slows to what a 429 asked for', async () => {
    fake = await FakeIntervals.start({ activities: yearOfActivities(5, new Date()) });
    const slept: number[] = [];
    const client = new IntervalsClient({
      baseUrl: fake.url,
      apiKey: fake.apiKey,
      log: silentLogger,
      paceMs: 200,
      sleep: (ms) => {
        slept.push(ms);
        return Promise.resolve();
      },
    });
    const q = { oldest: '2000-01-01', newest: '2100-01-01' };
    await client.listActivities(fake.athleteId, q);
    expect(slept).toEqual([200]);
    fake.failNext(429, /activities/, '2');
    await client.listActivities(fake.athleteId, q);
    // The pause before the refused request, the wait asked for, then the slower pace.
    expect(slept.slice(1)).toEqual([200, 2000, 2000]);
    await client.listActivities(fake.athleteId, q);
    expect(slept.at(-1)).toBe(2000);
    expect(client.apiCalls).toBe(4);
  });

  it('stops with the time to come back when a 429 asks for longer than it waits', async () => {
    fake = await FakeIntervals.start();
    const client = new IntervalsClient({
      baseUrl: fake.url,
      apiKey: fake.apiKey,
      log: silentLogger,
      sleep: () => Promise.resolve(),
    });
    fake.failNext(429, /activities/, '3600');
    await expect(
      client.listActivities(fake.athleteId, { oldest: '2000-01-01', newest: '2100-01-01' }),
    ).rejects.toMatchObject({ name: 'IntervalsUnavailableError', resumeAt: expect.any(Date) });
  });
});

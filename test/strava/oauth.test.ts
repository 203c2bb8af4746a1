import { afterEach, describe, expect, it } from 'vitest';
import { beginConnect, handleOAuthCallback } from '../../src/strava/oauth.ts';
import { readTokens } from '../../src/strava/tokens.ts';
import { FakeStrava } from '../support/fake-strava.ts';
import { connect, makeDeps } from './helpers.ts';

let fake: FakeStrava | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

describe('the OAuth callback (the daemon mounts handleOAuthCallback on GET /strava/callback)', () => {
  it('stores the tokens and returns the athlete, never a token', async () => {
    fake = await FakeStrava.start();
    const deps = makeDeps(fake);
    const result = await connect(deps);
    expect(result).toEqual({
      ok: true,
      athlete: { id: 98765432, name: 'Sam Beginner' },
      scope: ['read', 'activity:read_all'],
    });
    const text = JSON.stringify(result);
    for (const s of fake.secrets()) expect(text).not.toContain(s);
    expect(readTokens(deps.dataDir)?.athlete.name).toBe('Sam Beginner');
  });

  it('refuses a state it did not hand out (403), once used too', async () => {
    fake = await FakeStrava.start();
    const deps = makeDeps(fake);
    const { url } = beginConnect(deps, 'http://127.0.0.1:9/strava/callback');
    const back = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '');
    const forged = new URLSearchParams(back.searchParams);
    forged.set('state', 'f'.repeat(32));
    expect(await handleOAuthCallback(deps, forged)).toMatchObject({ ok: false, status: 403 });
    expect((await handleOAuthCallback(deps, back.searchParams)).ok).toBe(true);
    expect(await handleOAuthCallback(deps, back.searchParams)).toMatchObject({ status: 403 });
  });

  it('explains a refusal and a missing activity scope', async () => {
    fake = await FakeStrava.start();
    const deps = makeDeps(fake);
    fake.denyNextAuthorize = true;
    expect(await connect(deps)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not granted/),
    });
    fake.grantedScope = 'read';
    expect(await connect(deps)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/activities/),
    });
    expect(readTokens(deps.dataDir)).toBeNull();
  });

  it('a wrong client secret is a clear error without the secret', async () => {
    fake = await FakeStrava.start();
    const deps = makeDeps(fake, { env: { STRAVA_CLIENT_SECRET: 'not-the-secret-123' } });
    const r = await connect(deps);
    expect(r).toMatchObject({
      ok: false,
      status: 502,
      message: expect.stringMatching(/STRAVA_CLIENT_SECRET/),
    });
    expect(JSON.stringify(r)).not.toContain('not-the-secret-123');
  });
});

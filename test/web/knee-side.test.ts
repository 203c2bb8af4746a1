import { describe, expect, it } from 'vitest';
import { checksCommand } from '../../src/commands/record.ts';
import type { Advice, KneeCheck } from '../../src/model.ts';
import { NO_KNEE_FLAGS } from '../../src/model.ts';
import {
  cliJson,
  formOf,
  harness,
  NOW,
  jsonRequest as json,
  formRequest as form,
} from './support.ts';

describe('which knee a check is about', () => {
  it('takes the side from POST /api/checks, marks the check as entered through the API, and names it in the advice', async () => {
    const { app } = await harness();
    const res = await app.request(
      '/api/checks',
      json({ pain: 0, where: [], knee: 'left', swelling: true }),
    );
    expect(res.status).toBe(201);
    const body = (await res.json()) as { check: KneeCheck; advice: Advice };
    expect(body.check).toMatchObject({ knee: 'left', via: 'api', runId: null, swelling: true });
    expect(body.advice.level).toBe('see-doctor');
    expect(JSON.stringify(body.advice)).toContain('swelling in your left knee');
  });

  it('refuses a side that is not left, right or both, naming the field', async () => {
    const { app, store } = await harness();
    const res = await app.request('/api/checks', json({ pain: 1, where: ['front'], knee: 'up' }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; field: string };
    expect(body.field).toBe('knee');
    expect(body.error).toContain('"left", "right", "both" or null');
    expect(store.checks.list()).toHaveLength(0);
  });

  it('offers a left and a right knee with four places each, and stores the side ticked from the web', async () => {
    const { app, config } = await harness();
    const page = await (await app.request('/check')).text();
    for (const side of ['left', 'right']) {
      for (const place of ['front', 'inside', 'outside', 'back']) {
        expect(page).toContain(`name="where" value="${side}:${place}"`);
        expect(page).toContain(`data-where="${side}:${place}"`);
      }
    }
    // The inside faces the other knee: on the right of the left knee's picture.
    expect(page).toMatch(
      /The left knee seen from above[^"]*outside on the left, inside on the right/,
    );
    const { csrf } = formOf(page);
    const res = await app.request(
      '/check',
      form([
        ['csrf', csrf],
        ['pain', '3'],
        ['where', 'right:outside'],
        ['where', 'right:front'],
      ]),
    );
    expect(res.status).toBe(303);
    const checks = (await cliJson(config, (ctx) =>
      checksCommand({ json: true }, ctx),
    )) as KneeCheck[];
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ knee: 'right', where: ['front', 'outside'], via: 'web' });

    const again = formOf(await (await app.request('/check')).text());
    await app.request(
      '/check',
      form([
        ['csrf', again.csrf],
        ['pain', '2'],
        ['where', 'left:front'],
        ['where', 'right:front'],
      ]),
    );
    const both = (await cliJson(config, (ctx) =>
      checksCommand({ json: true }, ctx),
    )) as KneeCheck[];
    expect(both.at(-1)).toMatchObject({ knee: 'both', where: ['front'] });
  });

  it('shows the side on the timeline, and "knee not said" for a check stored before the question', async () => {
    const { app, store } = await harness();
    const at = new Date(Date.parse(NOW) - 3_600_000).toISOString();
    store.checks.add({
      runId: null,
      checkedAt: at,
      pain: 1,
      where: ['front'],
      ...NO_KNEE_FLAGS,
      knee: null,
      via: 'cli',
      note: 'old check',
    });
    store.checks.add({
      runId: null,
      checkedAt: NOW,
      pain: 2,
      where: ['inside'],
      ...NO_KNEE_FLAGS,
      knee: 'right',
      via: 'cli',
      note: 'new check',
    });
    const html = await (await app.request('/')).text();
    const items = [...html.matchAll(/<li class="check"[\s\S]*?<\/li>/g)].map((m) => m[0]);
    expect(items).toHaveLength(2);
    expect(items[0]).toContain('right knee');
    expect(items[0]).toContain('new check');
    expect(items[1]).toContain('knee not said');
    expect(items[1]).toContain('old check');
  });
});

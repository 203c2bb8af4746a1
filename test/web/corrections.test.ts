import { describe, expect, it } from 'vitest';
import type { RecordedCheck } from '../../src/checks.ts';
import { checksCommand } from '../../src/commands/record.ts';
import type { Advice, KneeCheck, Report, Run } from '../../src/model.ts';
import { cliJson, formOf, harness, jsonRequest as json, formRequest as form } from './support.ts';

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('correcting checks through the JSON API', () => {
  it('lists the checks with GET /api/checks, as `checks --json` does, and filters by date', async () => {
    const { app, config } = await harness({ demo: true });
    const all = (await (await app.request('/api/checks')).json()) as KneeCheck[];
    expect(all.length).toBeGreaterThan(2);
    expect(all).toEqual(await cliJson(config, (ctx) => checksCommand({ json: true }, ctx)));
    const recent = (await (
      await app.request('/api/checks?since=2026-11-20')
    ).json()) as KneeCheck[];
    expect(recent.length).toBeLessThan(all.length);
    expect(recent.every((c) => c.checkedAt >= '2026-11-19T23:00:00.000Z')).toBe(true);
    const bad = await app.request('/api/checks?since=last-week');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^since: expected a date/);
  });

  it('changes only the answers a PATCH gives, and a worse level is told as after a new check', async () => {
    const told: RecordedCheck[] = [];
    const { app } = await harness({ deps: { onCheck: (r) => void told.push(r) } });
    const made = (await (
      await app.request('/api/checks', json({ pain: 2, where: ['front'], note: 'stairs' }))
    ).json()) as { check: KneeCheck; advice: Advice };
    expect(made.advice.level).toBe('caution');
    const res = await app.request(
      `/api/checks/${made.check.id}`,
      json({ knee: 'right', swelling: true }, 'PATCH'),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { check: KneeCheck; advice: Advice };
    expect(body.check).toEqual({ ...made.check, knee: 'right', swelling: true });
    expect(body.advice.level).toBe('see-doctor');
    expect(body.advice).toEqual(await (await app.request('/api/advice')).json());
    expect(told.at(-1)?.before.level).toBe('caution');
    expect(told.at(-1)?.advice.level).toBe('see-doctor');
  });

  it('validates a PATCH as a new check: named field, 404 for no such check, JSON only', async () => {
    const { app, store } = await harness();
    const made = (await (await app.request('/api/checks', json({ pain: 0 }))).json()) as {
      check: KneeCheck;
    };
    const id = made.check.id;
    for (const [body, field] of [
      [{ pain: 11 }, 'pain'],
      [{ pain: 4 }, 'where'],
      [{ knee: 'middle' }, 'knee'],
      [{ runId: 'fit:x' }, 'runId'],
      [{ swelling: 'yes' }, 'swelling'],
    ] as const) {
      const res = await app.request(`/api/checks/${id}`, json(body, 'PATCH'));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { field: string }).field).toBe(field);
    }
    expect(store.checks.get(id)).toEqual(made.check);
    expect((await app.request('/api/checks/999', json({ pain: 1 }, 'PATCH'))).status).toBe(404);
    const asForm = await app.request(`/api/checks/${id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'pain=3',
    });
    expect(asForm.status).toBe(415);
  });

  it('moves the advice with DELETE and back with the undo banner on the dashboard', async () => {
    const { app } = await harness();
    const made = (await (
      await app.request('/api/checks', json({ pain: 0, knee: 'left', swelling: true }))
    ).json()) as { check: KneeCheck; advice: Advice };
    expect(made.advice.level).toBe('see-doctor');
    const del = await app.request(`/api/checks/${made.check.id}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    const gone = (await del.json()) as { check: KneeCheck; advice: Advice };
    expect(gone.advice.level).not.toBe('see-doctor');
    expect(await (await app.request('/api/checks')).json()).toEqual([]);
    expect((await app.request(`/api/checks/${made.check.id}`, { method: 'DELETE' })).status).toBe(
      404,
    );

    // The dashboard after a delete offers Undo; pressing it brings the check and the advice back.
    const page = await (await app.request(`/?deleted=${made.check.id}`)).text();
    expect(page).toContain(`Deleted knee check ${made.check.id}`);
    const undo = await app.request(
      '/checks/undo',
      form([
        ['csrf', csrfOf(page)],
        ['back', '/'],
      ]),
    );
    expect(undo.status).toBe(303);
    expect(undo.headers.get('Location')).toBe(`/?restored=${made.check.id}#advice`);
    const advice = (await (await app.request('/api/advice')).json()) as Advice;
    expect(advice.level).toBe('see-doctor');
    expect(await (await app.request(`/?restored=${made.check.id}`)).text()).toContain(
      `Brought back knee check ${made.check.id}`,
    );
  });

  it('stores a form sent twice within a minute once', async () => {
    const { app, store } = await harness();
    const first = await app.request('/api/checks', json({ pain: 0 }));
    const second = await app.request('/api/checks', json({ pain: 0 }));
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    const ids = await Promise.all(
      [first, second].map(async (r) => ((await r.json()) as { check: KneeCheck }).check.id),
    );
    expect(ids[1]).toBe(ids[0]);
    // Different answers are a different check.
    await app.request('/api/checks', json({ pain: 1, where: ['back'] }));
    expect(store.checks.list()).toHaveLength(2);
  });
});

describe('correcting checks on the web pages', () => {
  it('edits a check in its form, filled with the stored answers, and deletes it with an undo', async () => {
    const { app, store } = await harness({ demo: true });
    const [run] = store.runs.list({ limit: 1 });
    const runPath = `/runs/${encodeURIComponent(run?.id ?? '')}`;
    const first = formOf(await (await app.request(runPath)).text());
    const saved = await app.request(
      first.action,
      form([
        ['csrf', first.csrf],
        ['pain', '2'],
        ['where', 'left:front'],
      ]),
    );
    const id = Number(/saved=(\d+)/.exec(saved.headers.get('Location') ?? '')?.[1]);
    const runPage = await (await app.request(runPath)).text();
    expect(runPage).toContain(`href="/checks/${id}/edit"`);
    expect(runPage).toContain(`action="/checks/${id}/delete"`);

    const edit = await (await app.request(`/checks/${id}/edit`)).text();
    expect(edit).toMatch(/value="left:front" checked/);
    expect(edit).toMatch(/name="pain" value="2" required checked/);
    const { csrf, action } = formOf(edit);
    expect(action).toBe(`/checks/${id}/edit`);
    const res = await app.request(
      action,
      form([
        ['csrf', csrf],
        ['pain', '3'],
        ['where', 'right:outside'],
        ['note', 'it was the right knee'],
      ]),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`${runPath}?edited=${id}#advice`);
    expect(store.checks.get(id)).toMatchObject({
      pain: 3,
      knee: 'right',
      where: ['outside'],
      note: 'it was the right knee',
      runId: run?.id,
      via: 'web',
    });
    expect(await (await app.request(`${runPath}?edited=${id}`)).text()).toContain(
      `Saved your correction to knee check ${id}`,
    );

    // Delete from the run page, then undo from the banner it comes back to.
    const del = await app.request(
      `/checks/${id}/delete`,
      form([
        ['csrf', csrfOf(runPage)],
        ['back', runPath],
      ]),
    );
    expect(del.headers.get('Location')).toBe(`${runPath}?deleted=${id}#undo`);
    expect(store.checks.get(id)).toBeNull();
    const banner = await (await app.request(`${runPath}?deleted=${id}`)).text();
    expect(banner).toContain('<button type="submit" class="button">Undo</button>');
    expect(banner).not.toContain(`href="/checks/${id}/edit"`);
  });

  it('refuses an edit, a delete or an exclusion without the form token, changing nothing', async () => {
    const { app, store } = await harness({ demo: true });
    const [check] = store.checks.list();
    const [run] = store.runs.list({ limit: 1 });
    for (const path of [
      `/checks/${check?.id}/edit`,
      `/checks/${check?.id}/delete`,
      '/checks/undo',
      `/runs/${encodeURIComponent(run?.id ?? '')}/exclude`,
    ]) {
      const res = await app.request(
        path,
        form([
          ['csrf', 'forged'],
          ['pain', '9'],
        ]),
      );
      expect(res.status, path).toBe(403);
    }
    expect(store.checks.get(check?.id ?? 0)).toEqual(check);
    expect(store.runs.get(run?.id ?? ('' as Run['id']))?.excluded).toBeNull();
  });

  it('leaves a run out of every weekly figure with the run page button, keeps it listed and marked, and counts it again', async () => {
    const { app, store } = await harness({ demo: true });
    const [run] = store.runs.list({ limit: 1 });
    if (!run) throw new Error('no demo run');
    const runPath = `/runs/${encodeURIComponent(run.id)}`;
    const before = (await (await app.request('/api/report')).json()) as Report;
    const page = await (await app.request(runPath)).text();
    expect(page).toContain(`action="${runPath}/exclude"`);
    const res = await app.request(
      `${runPath}/exclude`,
      form([
        ['csrf', csrfOf(page)],
        ['reason', 'heart-rate strap file'],
      ]),
    );
    expect(res.status).toBe(303);
    expect(store.runs.get(run.id)?.excluded).toEqual({
      reason: 'heart-rate strap file',
      by: 'user',
    });

    const after = (await (await app.request('/api/report')).json()) as Report;
    const week = after.weeks.length - 1;
    expect(after.weeks[week]?.runs).toBe((before.weeks[week]?.runs ?? 0) - 1);
    expect(after.weeks[week]?.distanceM).toBeCloseTo(
      (before.weeks[week]?.distanceM ?? 0) - (run.distanceM ?? 0),
      0,
    );
    const dashboard = await (await app.request('/')).text();
    expect(dashboard).toMatch(/class="tag excluded" title="heart-rate strap file">left out</);
    const listed = (await (await app.request('/api/runs')).json()) as Run[];
    expect(listed.find((r) => r.id === run.id)?.excluded?.by).toBe('user');
    const excludedPage = await (await app.request(runPath)).text();
    expect(excludedPage).toContain('You left this run out: heart-rate strap file');

    await app.request(`${runPath}/include`, form([['csrf', csrfOf(excludedPage)]]));
    expect(store.runs.get(run.id)?.excluded).toBeNull();
    expect(await (await app.request('/api/report')).json()).toEqual(before);
  });
});

import { describe, expect, it } from 'vitest';
import { currentAdvice } from '../../src/history.ts';
import { ntfyActions } from '../../src/notify/channels/ntfy.ts';
import { kneeCheckMessage, type MessageContext } from '../../src/notify/templates.ts';
import { harness, NOW, SECRETS } from '../web/support.ts';

describe('one-tap answers from a notification', () => {
  it('with KNEECHECK_PUBLIC_URL the "No pain" button posts a check the daemon accepts', async () => {
    const h = await harness({
      demo: true,
      // A public URL needs the token (issue 21): the button carries it as a bearer header.
      settings: {
        KNEECHECK_PUBLIC_URL: 'http://knees.home.lan:7117',
        KNEECHECK_TOKEN: SECRETS.KNEECHECK_TOKEN,
      },
    });
    const [run] = h.store.runs.list({ limit: 1 });
    if (!run) throw new Error('the demo history has runs');
    const ctx: MessageContext = {
      config: h.config,
      advice: currentAdvice(h.store, h.config, new Date(NOW)),
      recentRuns: [],
      now: new Date(NOW),
    };
    const message = kneeCheckMessage(run, ctx);
    expect(message.checkUrl).toBe(
      `http://knees.home.lan:7117/runs/${encodeURIComponent(run.id)}#check`,
    );
    const button = ntfyActions(message, h.config).find((a) => a.action === 'http');
    if (button?.action !== 'http') throw new Error('expected an http action');
    expect(button.label).toBe('No pain');

    const before = h.store.checks.forRun(run.id).length;
    const res = await h.app.request(button.url, {
      method: button.method ?? 'POST',
      headers: button.headers,
      body: button.body ?? null,
    });
    expect(res.status).toBe(201);
    const checks = h.store.checks.forRun(run.id);
    expect(checks).toHaveLength(before + 1);
    expect(checks.at(-1)).toMatchObject({ pain: 0, where: [] });
  });

  it('without a public URL the daemon is not reachable from a phone: no buttons, the link still opens the form locally', async () => {
    const h = await harness({ demo: true });
    const [run] = h.store.runs.list({ limit: 1 });
    if (!run) throw new Error('the demo history has runs');
    const message = kneeCheckMessage(run, {
      config: h.config,
      advice: currentAdvice(h.store, h.config, new Date(NOW)),
      recentRuns: [],
      now: new Date(NOW),
    });
    expect(message.actions).toEqual([]);
    expect(message.apiUrl).toBeNull();
    expect(message.checkUrl).toMatch(/^http:\/\/127\.0\.0\.1:7117\/runs\//);
  });
});

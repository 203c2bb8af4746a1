import { afterEach, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../src/import/pipeline.ts';
import { startDaemon, stopDaemons } from '../support/daemon.ts';
import { tempDir } from '../support/paths.ts';
import { startHttpReceiver, type HttpReceiver } from '../support/receivers.ts';
import { simpleRun } from '../support/synth-fit.ts';

const receivers: HttpReceiver[] = [];
afterEach(async () => {
  stopDaemons();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe('kneecheck start: a file added from the page', () => {
  it('is imported through POST /api/import and prompted for like a file in the inbox', async () => {
    const hook = await startHttpReceiver();
    receivers.push(hook);
    const daemon = await startDaemon({
      KNEECHECK_DATA_DIR: tempDir(),
      NOTIFY_WEBHOOK_URL: `${hook.url}/hook`,
    });
    const dashboard = await fetch(daemon.url);
    // The form's token is bound to the browser's CSRF cookie, as a browser sends it back.
    const cookie = (dashboard.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const html = await dashboard.text();
    const csrf = /id="upload-form"[\s\S]*?name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csrf).not.toBe('');

    const form = new FormData();
    form.append(
      'files',
      new Blob([simpleRun(new Date(Date.now() - 3 * 3600_000), { km: 6 })]),
      'lunch run.fit',
    );
    const res = await fetch(`${daemon.url}api/import`, {
      method: 'POST',
      headers: { 'X-CSRF-Token': csrf, Cookie: cookie },
      body: form,
    });
    expect(res.status).toBe(200);
    const report = (await res.json()) as ImportReport;
    expect(report.imported.map((i) => i.file)).toEqual(['lunch run.fit']);

    const [req] = await hook.waitFor(1, 15_000);
    const payload = JSON.parse(req?.body ?? '{}') as {
      type: string;
      runId: string;
      run: { distanceM: number };
    };
    expect(payload.type).toBe('knee-check');
    expect(payload.runId).toBe(report.imported[0]?.run.id);
    expect(payload.run.distanceM).toBeCloseTo(6000, -1);

    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
  });
});

import type { Hono } from 'hono';
import type { Run } from '../model.ts';
import { notifyNewRuns } from '../notify/index.ts';
import type { AppDeps } from './types.ts';
import { importResultPage } from './pages/import-card.ts';
import type { Csrf } from './security.ts';
import { MAX_UPLOAD_BYTES, receiveUpload, type UploadResult } from './upload.ts';

/** Longest an upload's answer waits for the prompts of its new runs, ms (as after a check). */
const ON_IMPORT_WAIT_MS = 1500;

/**
 * Files from the page (issue 22 item 4): `POST /api/import` (JSON, the `import --json` report;
 * what the dashboard's script sends) and `POST /import` (the plain form without JavaScript: the
 * report as a page). Both run the CLI's import pipeline; new runs are prompted for as the inbox's
 * are (`deps.onImported`, default {@link notifyNewRuns}).
 */
export function mountImport(app: Hono, deps: AppDeps, csrf: Csrf): void {
  const { log } = deps;
  const onImported =
    deps.onImported ??
    ((runs: readonly Run[]) =>
      notifyNewRuns({ store: deps.store, config: deps.config, now: deps.now, log }, runs));

  const afterImport = async (result: UploadResult): Promise<void> => {
    if (!result.ok || result.report.imported.length === 0) return;
    const runs = result.report.imported.map((i) => i.run);
    let timer: NodeJS.Timeout | undefined;
    try {
      const pending = Promise.resolve(onImported(runs)).catch((e: unknown) => {
        log.error('web: prompts after an upload failed', { error: e as Error });
      });
      const wait = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ON_IMPORT_WAIT_MS);
        timer.unref();
      });
      await Promise.race([pending, wait]);
    } catch (e) {
      log.error('web: prompts after an upload failed', { error: e as Error });
    } finally {
      clearTimeout(timer);
    }
  };

  const take = async (req: Request): Promise<UploadResult> => {
    if (!deps.importFiles) {
      return {
        ok: false,
        status: 503,
        message: 'adding files is not available in this kneecheck: use `kneecheck import <file>`',
      };
    }
    const result = await receiveUpload(req, deps, csrf, {
      maxBytes: deps.uploadMaxBytes ?? MAX_UPLOAD_BYTES,
      ...(deps.uploadTempDir === undefined ? {} : { tempDir: deps.uploadTempDir }),
    });
    await afterImport(result);
    return result;
  };

  app.post('/api/import', async (c) => {
    const result = await take(c.req.raw);
    if (!result.ok) return c.json({ error: result.message }, result.status);
    return c.json(result.report);
  });

  app.post('/import', async (c) => {
    const result = await take(c.req.raw);
    if (!result.ok) return c.html(importResultPage(deps.config, result), result.status);
    return c.html(importResultPage(deps.config, result));
  });
}

import fs from 'node:fs';
import path from 'node:path';
import type { Hono } from 'hono';
import type { CommandContext } from '../../src/commands/context.ts';
import { loadConfig, type Config, type Settings } from '../../src/config/index.ts';
import { demoPlan } from '../../src/demo/plan.ts';
import { synthFit } from '../../src/demo/synth-fit.ts';
import { importPaths, uploadImporter } from '../../src/import/pipeline.ts';
import { silentLogger } from '../../src/log.ts';
import { NO_KNEE_FLAGS, type RunId } from '../../src/model.ts';
import { DB_FILE_NAME, Store } from '../../src/store/index.ts';
import { createApp } from '../../src/web/app.ts';
import { CSRF_COOKIE } from '../../src/web/security.ts';
import type { AppDeps } from '../../src/web/types.ts';
import { tempDir } from '../support/paths.ts';

/** A Wednesday in November (CET): the demo history ends two days before. */
export const NOW = '2026-11-25T12:00:00+01:00';
export const ZONE = 'Europe/Berlin';

/** Distinctive values for every secret setting: no page or JSON may ever contain one. */
export const SECRETS = {
  KNEECHECK_TOKEN: 'tok-SECRET-9f8e7d6c5b4a3928',
  STRAVA_CLIENT_SECRET: 'strava-SECRET-client-77aa',
  STRAVA_WEBHOOK_VERIFY_TOKEN: 'strava-SECRET-verify-88bb',
  NOTIFY_NTFY_TOKEN: 'ntfy-SECRET-token-99cc',
  NOTIFY_WEBHOOK_SECRET: 'webhook-SECRET-hmac-11dd',
  NOTIFY_SMTP_URL: 'smtps://user:smtp-SECRET-pass-22ee@mail.example.com',
} as const satisfies Settings;

/** A config as `kneecheck start` would load it, over a fresh data dir; no `.env` is read. */
export function testConfig(settings: Settings = {}): Config {
  const dataDir = tempDir('kneecheck-web-');
  return loadConfig({
    env: {
      KNEECHECK_DATA_DIR: dataDir,
      KNEECHECK_TIMEZONE: ZONE,
      KNEECHECK_NOW: NOW,
      ...settings,
    },
    envFile: path.join(dataDir, 'no.env'),
  });
}

/** Fills the store with `kneecheck demo`'s history: real FIT files through the real importer. */
export async function seedDemo(store: Store, config: Config, now: Date): Promise<void> {
  const plan = demoPlan(now, config.timezone);
  const dir = tempDir('kneecheck-web-fit-');
  const files = plan.runs.map((r) => {
    const file = path.join(dir, r.file);
    fs.writeFileSync(file, synthFit(r.fit));
    return file;
  });
  const report = await importPaths(files, {
    store,
    ctx: { timezone: config.timezone },
    now: () => now.toISOString(),
    workers: 0,
  });
  if (report.imported.length !== files.length) throw new Error(JSON.stringify(report.failed));
  const idOf = new Map<string, RunId>(report.imported.map((i) => [i.file, i.run.id]));
  for (const c of plan.checks) {
    store.checks.add({
      runId: idOf.get(files[c.runIndex] ?? '') ?? null,
      checkedAt: c.checkedAt,
      pain: c.pain,
      where: c.where,
      ...NO_KNEE_FLAGS,
      knee: null,
      via: 'cli',
      note: c.note,
    });
  }
}

let demoDb: Promise<string> | undefined;

/** The demo history is made once per test file and copied for each app. */
async function makeDemoDb(now: Date): Promise<string> {
  const config = testConfig();
  const store = Store.open(config.dataDir);
  await seedDemo(store, config, now);
  store.close();
  return path.join(config.dataDir, DB_FILE_NAME);
}

export interface Harness {
  app: Hono;
  store: Store;
  config: Config;
  deps: AppDeps;
}

/** The app over a real SQLite store in a temp dir, optionally with the demo history. */
export async function harness(
  opts: { demo?: boolean; settings?: Settings; deps?: Partial<AppDeps> } = {},
): Promise<Harness> {
  const config = testConfig(opts.settings);
  const now = () => new Date(Date.parse(NOW));
  if (opts.demo) {
    demoDb ??= makeDemoDb(now());
    fs.copyFileSync(await demoDb, path.join(config.dataDir, DB_FILE_NAME));
  }
  const store = Store.open(config.dataDir);
  const deps: AppDeps = {
    store,
    config,
    now,
    log: silentLogger,
    // As the daemon wires it (src/daemon/start.ts): uploads go through the import pipeline.
    importFiles: uploadImporter(store, config.timezone, now),
    ...opts.deps,
  };
  return { app: oneBrowser(createApp(deps)), store, config, deps };
}

/**
 * The app as one browser sees it: the CSRF cookie a page sets is sent back with the next
 * requests, as a browser does (form tokens are bound to it). Only that cookie: tests of the token
 * cookie send their own `Cookie` header, to which it is added.
 */
export function oneBrowser(app: Hono): Hono {
  let csrfCookie: string | null = null;
  const request: Hono['request'] = async (input, init, ...rest) => {
    const headers = new Headers(init?.headers);
    if (csrfCookie !== null) {
      const given = headers.get('Cookie');
      headers.set('Cookie', given ? `${given}; ${csrfCookie}` : csrfCookie);
    }
    const res = await app.request(input, { ...init, headers }, ...rest);
    for (const set of res.headers.getSetCookie()) {
      const pair = set.split(';')[0] ?? '';
      if (pair.startsWith(`${CSRF_COOKIE}=`)) csrfCookie = pair;
    }
    return res;
  };
  return new Proxy(app, {
    get(target, prop) {
      if (prop === 'request') return request;
      const v: unknown = Reflect.get(target, prop);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** Runs a CLI command function with `--json` against the same data dir and parses its output. */
export function cliJson(
  config: Config,
  run: (ctx: CommandContext) => number | Promise<number>,
): Promise<unknown> {
  let out = '';
  const stdout = { write: (s: string) => ((out += s), true), isTTY: false, columns: 100 };
  const ctx: CommandContext = {
    config,
    now: () => new Date(Date.parse(NOW)),
    log: silentLogger,
    openStore: () => Store.open(config.dataDir),
    stdout,
    stderr: stdout,
  };
  return Promise.resolve(run(ctx)).then(() => JSON.parse(out) as unknown);
}

/** Every route a person or a tool can GET, for scans (secrets, headers). */
export function pathsToScan(runId: string): string[] {
  return [
    '/',
    `/runs/${encodeURIComponent(runId)}`,
    '/runs/nope:123',
    '/api/runs',
    '/api/report',
    '/api/advice',
    '/healthz',
    '/assets/app.css',
    '/assets/app.js',
    '/webhooks/strava?hub.mode=subscribe&hub.challenge=abc&hub.verify_token=x',
    '/webhooks/strava/s3cret?hub.mode=subscribe&hub.challenge=abc&hub.verify_token=x',
    '/strava/callback?code=x&state=y',
    '/no-such-page',
  ];
}

/** The CSRF token and form action of a run page. */
export function formOf(htmlText: string): { csrf: string; action: string } {
  const csrf = /name="csrf" value="([^"]+)"/.exec(htmlText)?.[1];
  const action = /<form[^>]*id="check-form"[^>]*action="([^"]+)"/.exec(htmlText)?.[1];
  if (!csrf || !action) throw new Error('no check form on the page');
  return { csrf, action: action.replaceAll('&amp;', '&') };
}

/** A JSON request for `app.request` (`POST` unless told otherwise). */
export const jsonRequest = (body: unknown, method = 'POST') => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

/** A form post (`application/x-www-form-urlencoded`) for `app.request`. */
export const formRequest = (fields: [string, string][]) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

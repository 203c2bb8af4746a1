import type { RecordedCheck } from '../checks.ts';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log.ts';
import type { ImportReport, Run } from '../model.ts';
import type { Store } from '../store/index.ts';

/** What the web app needs from the daemon (or a test): `createApp(deps)` in app.ts. */
export interface AppDeps {
  store: Store;
  config: Config;
  now: () => Date;
  log: Logger;
  /** Health of the daemon's parts for /healthz (watcher, last sync, outbox); the app adds the database. */
  health?: () => Record<string, unknown>;
  /**
   * Called after a check is recorded (notifications). A returned promise is awaited for at most
   * `ON_CHECK_WAIT_MS` (app.ts, 1.5 s); errors are logged. Default: `notifyCheck` with these deps.
   */
  onCheck?: (recorded: RecordedCheck) => unknown;
  /**
   * Called with the new runs of an upload from the page (the knee-check prompt, as for the
   * inbox's), awaited as `onCheck` is. Default: `notifyNewRuns` with these deps.
   */
  onImported?: (runs: readonly Run[]) => unknown;
  /**
   * Imports files on disk as `kneecheck import` does, into this app's store, naming each in the
   * report with `label(path)` (the daemon passes the import pipeline, src/import/pipeline.ts: the
   * web app itself decodes nothing). Without it the page offers no upload and `POST /api/import`
   * answers 503.
   */
  importFiles?: (
    paths: readonly string[],
    label: (text: string) => string,
  ) => Promise<ImportReport>;
  /** The request body cap of `POST /api/import` and `POST /import`, bytes (default 256 MB). */
  uploadMaxBytes?: number;
  /** Where an upload's private temp folder is made (default the system's, `os.tmpdir()`). */
  uploadTempDir?: string;
  /** Extra routes mounted by the daemon (Strava webhooks and OAuth callback). */
  strava?: {
    /** True when `segment` is the secret of the webhook path `/webhooks/strava/<segment>`. */
    isWebhookSecret(segment: string): boolean;
    challenge(query: Record<string, string>): unknown;
    event(body: unknown): void;
    callback(query: Record<string, string>): Promise<{ ok: boolean; message: string }>;
    /** The Strava page that asks the runner to let kneecheck in, coming back to `redirectUri`. */
    connectUrl?(redirectUri: string): string;
    /** True when kneecheck holds Strava tokens. */
    connected?(): boolean;
  };
}

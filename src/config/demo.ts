import fs from 'node:fs';
import path from 'node:path';
import type { EnvName } from './names.ts';

/** The file that marks a folder as made by `kneecheck demo` (and so safe to refill). */
export const DEMO_MARKER = '.kneecheck-demo';

/** The settings of real notification channels: ignored for a demo data folder. */
export const CHANNEL_SETTINGS = [
  'NOTIFY_NTFY_URL',
  'NOTIFY_WEBHOOK_URL',
  'NOTIFY_EMAIL_TO',
  'NOTIFY_SMTP_URL',
  'NOTIFY_DESKTOP',
] as const satisfies readonly EnvName[];

/** True when `dataDir` was made by `kneecheck demo` (it holds {@link DEMO_MARKER}). */
export function isDemoFolder(dataDir: string): boolean {
  try {
    return fs.statSync(path.join(dataDir, DEMO_MARKER)).isFile();
  } catch {
    return false;
  }
}

/** The line every command prints for a demo data folder whose config named real channels. */
export function demoNotice(dataDir: string, ignored: readonly string[]): string {
  return (
    `kneecheck: ${dataDir} is a demo data folder: notifications stay on this screen ` +
    `(${ignored.join(', ')} ignored; your real channels get nothing from the demo)\n`
  );
}

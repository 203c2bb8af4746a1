import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config/index.ts';
import { DeliveryError, type Channel, type ChannelSetting, type Message } from '../types.ts';

/** How long the platform notifier may take, in ms. */
export const DESKTOP_TIMEOUT_MS = 10_000;

/** The program each platform's notifier runs as. */
const NOTIFIER: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'osascript',
  win32: 'powershell.exe',
};
const notifierOf = (platform: NodeJS.Platform): string => NOTIFIER[platform] ?? 'notify-send';

/** The first `name` on `PATH` that can be run, or null. */
export async function findOnPath(name: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    const file = path.join(dir, name);
    try {
      await fs.access(file, fs.constants.X_OK);
      return file;
    } catch {
      // not in this folder
    }
  }
  return null;
}

/**
 * Why desktop notifications cannot be shown on this machine, or null when they can: Linux and
 * the BSDs need a graphical session (`DISPLAY` or `WAYLAND_DISPLAY`) and `notify-send`; macOS
 * needs `osascript`, Windows `powershell.exe`.
 */
export async function desktopUnavailable(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
): Promise<string | null> {
  const program = notifierOf(platform);
  if (program === 'notify-send' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return 'no display (DISPLAY and WAYLAND_DISPLAY unset)';
  }
  return (await findOnPath(program, env)) === null ? `${program} not found on PATH` : null;
}

/** What runs to show one message: the program, its arguments and extra environment. */
export interface DesktopCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
}

const URGENCY: Record<Message['priority'], string> = {
  low: 'low',
  default: 'normal',
  high: 'critical',
};

// notify-send bodies are Pango-like markup on most notification servers.
const escapeMarkup = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// Text and title travel in environment variables, so no quoting can turn them into script.
const TOAST_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  '[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime] | Out-Null',
  '[Windows.Data.Xml.Dom.XmlDocument, Windows.Data.Xml.Dom.XmlDocument, ContentType = WindowsRuntime] | Out-Null',
  '$t = [System.Security.SecurityElement]::Escape($env:KNEECHECK_NOTIFY_TITLE)',
  '$b = [System.Security.SecurityElement]::Escape($env:KNEECHECK_NOTIFY_BODY)',
  '$x = New-Object Windows.Data.Xml.Dom.XmlDocument',
  '$x.LoadXml("<toast><visual><binding template=`"ToastGeneric`"><text>$t</text><text>$b</text></binding></visual></toast>")',
  // Toasts need a registered app id; PowerShell's own is present on every Windows 10/11.
  "$app = '{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\\WindowsPowerShell\\v1.0\\powershell.exe'",
  '[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier($app).Show([Windows.UI.Notifications.ToastNotification]::new($x))',
].join('\n');

/** The notifier invocation for one message on `platform` (arguments, never a shell line). */
export function desktopCommand(message: Message, platform: NodeJS.Platform): DesktopCommand {
  const body = message.checkUrl ? `${message.message}\n${message.checkUrl}` : message.message;
  switch (notifierOf(platform)) {
    case 'osascript':
      return {
        file: 'osascript',
        args: [
          '-e',
          'on run argv',
          '-e',
          'display notification (item 2 of argv) with title (item 1 of argv)',
          '-e',
          'end run',
          '--',
          message.title,
          body,
        ],
        env: {},
      };
    case 'powershell.exe':
      return {
        file: 'powershell.exe',
        args: ['-NoProfile', '-NonInteractive', '-Command', TOAST_SCRIPT],
        env: { KNEECHECK_NOTIFY_TITLE: message.title, KNEECHECK_NOTIFY_BODY: body },
      };
    default:
      return {
        file: 'notify-send',
        args: [
          '--app-name=kneecheck',
          `--urgency=${URGENCY[message.priority]}`,
          '--',
          message.title,
          escapeMarkup(body),
        ],
        env: {},
      };
  }
}

function run(cmd: DesktopCommand, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd.file,
      cmd.args,
      {
        env: { ...process.env, ...cmd.env },
        signal,
        timeout: DESKTOP_TIMEOUT_MS,
        windowsHide: true,
      },
      (err, _stdout, stderr) => {
        if (err === null) return resolve();
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          return reject(
            new DeliveryError(`desktop: ${cmd.file} not found`, { retryable: false, cause: err }),
          );
        }
        const timedOut = signal.aborted || err.name === 'AbortError' || err.killed === true;
        const detail = timedOut
          ? 'did not finish in time'
          : `failed (${String(stderr).trim().slice(0, 200) || `exit ${String(code)}`})`;
        reject(
          new DeliveryError(`desktop: ${cmd.file} ${detail}`, { retryable: true, cause: err }),
        );
      },
    );
  });
}

/**
 * A desktop notification through the platform's own notifier (`NOTIFY_DESKTOP=1`): `notify-send`
 * on Linux, `osascript` on macOS, a PowerShell toast on Windows (best effort). Unavailable on a
 * machine without a graphical session.
 */
export default {
  name: 'desktop',
  settings: (config: Config): ChannelSetting[] => [
    { env: 'NOTIFY_DESKTOP', value: config.notify.desktop ? '1' : null, secret: false },
  ],
  enabled: (config: Config) => config.notify.desktop,
  unavailable: () => desktopUnavailable(process.platform, process.env),
  send: (message, ctx) => run(desktopCommand(message, process.platform), ctx.signal),
} satisfies Channel;

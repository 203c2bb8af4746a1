import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeIsRecentEnough, pinnedNode } from '../scripts/node24.js';
import { REPO, tempDir } from './support/paths.ts';

/** An old Node to try kneecheck on: KNEECHECK_OLD_NODE, else the distribution's /usr/bin/node. */
function oldNode(): { bin: string; version: string } | null {
  const bin = process.env.KNEECHECK_OLD_NODE ?? '/usr/bin/node';
  if (!fs.existsSync(bin)) return null;
  const version = spawnSync(bin, ['-p', 'process.versions.node'], {
    encoding: 'utf8',
  }).stdout.trim();
  return version !== '' && !nodeIsRecentEnough(version) ? { bin, version } : null;
}
const OLD = oldNode();
/** The old Node when there is one (tests that need it are skipped otherwise). */
const old = OLD ?? { bin: '', version: '' };
const SKIP_NOTE = OLD
  ? ''
  : ' (skipped: no Node older than 22.22 at /usr/bin/node or KNEECHECK_OLD_NODE)';
const HAVE_PINNED = fs.existsSync(pinnedNode().bin);

/** The settings that choose the Node cache folder, passed on so the child finds the same one. */
function cacheSettings(): Record<string, string> {
  const names = ['KNEECHECK_NODE_CACHE', 'KNEECHECK_CI_CACHE', 'XDG_CACHE_HOME'];
  return Object.fromEntries(names.flatMap((n) => (process.env[n] ? [[n, process.env[n]]] : [])));
}

function runOn(node: string, file: string, args: string[], cwd = tempDir('kneecheck-cwd-')) {
  return spawnSync(node, [path.join(REPO, file), ...args], {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: path.dirname(node) + path.delimiter + '/usr/bin:/bin',
      HOME: process.env.HOME ?? '',
      KNEECHECK_DATA_DIR: tempDir('kneecheck-data-'),
      KNEECHECK_TIMEZONE: 'Europe/Berlin',
      ...cacheSettings(),
    },
  });
}

describe('kneecheck on a Node older than 22.22', () => {
  it('knows which Node versions are recent enough', () => {
    expect(nodeIsRecentEnough('20.20.2')).toBe(false);
    expect(nodeIsRecentEnough('22.21.9')).toBe(false);
    expect(nodeIsRecentEnough('22.22.0')).toBe(true);
    expect(nodeIsRecentEnough('24.21.0')).toBe(true);
  });

  it.skipIf(!OLD).each(['dist/src/cli.js', 'dist/src/npm-start.js'])(
    `stops a direct run of %s with one clear line, not a crash${SKIP_NOTE}`,
    (file) => {
      const r = runOn(old.bin, file, ['runs', '--json']);
      expect(r.signal).toBeNull();
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('needs Node.js 22.22 or newer');
      expect(lines[0]).toContain(`v${old.version}`);
    },
  );

  it.skipIf(!OLD || !HAVE_PINNED)(
    `runs the kneecheck command on the pinned Node 24 from the cache${SKIP_NOTE}${HAVE_PINNED ? '' : ' (skipped: the pinned Node is not in the cache yet)'}`,
    () => {
      const r = runOn(old.bin, 'bin/kneecheck.js', ['runs', '--json']);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual([]);
    },
  );
});

describe('the crontab line that `kneecheck notify run-due --help` prints', () => {
  it('runs as printed under cron’s bare environment, reading the .env of the folder it was made in', () => {
    const folder = tempDir('kneecheck-cron-');
    const data = path.join(folder, 'data');
    fs.writeFileSync(path.join(folder, '.env'), `KNEECHECK_DATA_DIR=${data}\n`);
    const help = spawnSync(
      process.execPath,
      [path.join(REPO, 'dist/src/cli.js'), 'notify', 'run-due', '--help'],
      {
        cwd: folder,
        encoding: 'utf8',
      },
    );
    const line = help.stdout.trimEnd().split('\n').at(-1) ?? '';
    const match = /^\s*\*\/10 \* \* \* \* (.+)$/.exec(line);
    expect(match, help.stdout).not.toBeNull();
    const cron = spawnSync('/bin/sh', ['-c', `${match?.[1] ?? ''} --json`], {
      cwd: process.env.HOME ?? '/',
      encoding: 'utf8',
      env: {
        HOME: process.env.HOME ?? '',
        PATH: '/usr/bin:/bin',
        SHELL: '/bin/sh',
        ...cacheSettings(),
      },
    });
    expect(cron.stderr).toBe('');
    expect(cron.status).toBe(0);
    expect(JSON.parse(cron.stdout)).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(fs.existsSync(path.join(data, 'kneecheck.sqlite'))).toBe(true);
  });
});

describe('kneecheck --version', () => {
  it('answers from package.json, the same version the CLI itself prints', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
      version: string;
    };
    const fast = spawnSync(process.execPath, [path.join(REPO, 'bin/kneecheck.js'), '--version'], {
      encoding: 'utf8',
    });
    const full = spawnSync(process.execPath, [path.join(REPO, 'dist/src/cli.js'), '--version'], {
      encoding: 'utf8',
    });
    expect(fast.stdout).toBe(`${pkg.version}\n`);
    expect(full.stdout).toBe(fast.stdout);
  });
});

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE_NAME, acquireLock, pidIsAlive } from '../../src/daemon/lock.ts';
import { KneecheckError } from '../../src/errors.ts';
import { tempDir } from '../support/paths.ts';

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('exit', r));
  return child.pid as number;
}

describe('the daemon lock', () => {
  it('creates the data dir and a lock file with the pid and start time, removed on release', () => {
    const data = path.join(tempDir(), 'new', 'data');
    const lock = acquireLock(data, { now: () => new Date('2026-11-25T08:00:00Z') });
    const file = path.join(data, LOCK_FILE_NAME);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({
      pid: process.pid,
      startedAt: '2026-11-25T08:00:00.000Z',
    });
    lock.release();
    lock.release();
    expect(fs.existsSync(file)).toBe(false);
    // Free again.
    acquireLock(data).release();
  });

  it('refuses a second instance while the first one runs, naming its pid and start', async () => {
    const data = tempDir();
    // Another live process holds the lock.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      const other = acquireLock(data, { pid: child.pid as number });
      let err: unknown;
      try {
        acquireLock(data);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(KneecheckError);
      expect((err as Error).message).toBe(
        `another kneecheck daemon (pid ${child.pid}, started ${other.info.startedAt}) is already ` +
          `running for ${data}; stop it first, or use another KNEECHECK_DATA_DIR`,
      );
      // The refused attempt leaves the holder's lock alone.
      expect(JSON.parse(fs.readFileSync(other.file, 'utf8')).pid).toBe(child.pid);
    } finally {
      child.kill();
    }
  });

  it('refuses a second lock in the same process', () => {
    const data = tempDir();
    const lock = acquireLock(data);
    expect(() => acquireLock(data)).toThrow(/already holds the kneecheck lock/);
    lock.release();
  });

  it('takes over the lock of a daemon that died', async () => {
    const data = tempDir();
    const pid = await deadPid();
    expect(pidIsAlive(pid)).toBe(false);
    const file = path.join(data, LOCK_FILE_NAME);
    fs.writeFileSync(
      file,
      JSON.stringify({ pid, startedAt: '2026-11-24T08:00:00.000Z', hostname: 'x' }),
    );
    const lock = acquireLock(data);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).pid).toBe(process.pid);
    expect(fs.readdirSync(data)).toEqual([LOCK_FILE_NAME]);
    lock.release();
  });

  it('takes over a lock written before this machine booted, even if its pid is in use now', () => {
    const data = tempDir();
    const file = path.join(data, LOCK_FILE_NAME);
    fs.writeFileSync(
      file,
      JSON.stringify({ pid: 1, startedAt: '2020-01-01T00:00:00.000Z', hostname: os.hostname() }),
    );
    const lock = acquireLock(data, {
      isAlive: () => true,
      bootTime: () => Date.parse('2026-01-01'),
    });
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a garbled lock that is not being written', () => {
    const data = tempDir();
    const file = path.join(data, LOCK_FILE_NAME);
    fs.writeFileSync(file, '');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    const lock = acquireLock(data);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('does not remove a lock another daemon took over meanwhile', () => {
    const data = tempDir();
    const lock = acquireLock(data);
    const file = path.join(data, LOCK_FILE_NAME);
    const theirs = JSON.stringify({
      pid: 4242,
      startedAt: new Date().toISOString(),
      hostname: 'h',
    });
    fs.writeFileSync(file, theirs);
    lock.release();
    expect(fs.readFileSync(file, 'utf8')).toBe(theirs);
  });
});

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillHistory } from '../bench/history.ts';
import { writeFd } from '../src/stdio.ts';
import { Store } from '../src/store/index.ts';
import { spawnCli } from './support/cli.ts';
import { BIN, tempDir } from './support/paths.ts';

/** A data folder with `days` daily runs ending yesterday. */
function history(days: number): string {
  const data = tempDir();
  const store = Store.open(data);
  fillHistory(store, days, new Date());
  store.close();
  return data;
}

const ENV = { KNEECHECK_TIMEZONE: 'Europe/Berlin' };

describe("a one-shot command's output, written without Node's stream objects", () => {
  it('writes everything into a full non-blocking pipe, waiting for the reader (EAGAIN)', async () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // Our own reader end (never read) lets the writer open without blocking; the pipe is
    // non-blocking, as a parent that shares it may have made it.
    const keep = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const fd = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    const out = path.join(dir, 'out');
    // The reader starts late: the 1 MB written is 16 times what the pipe holds.
    const reader = spawn('sh', ['-c', `sleep 0.3; cat "${fifo}" > "${out}"`]);
    const done = new Promise<number | null>((resolve) => reader.on('close', resolve));
    const text = Array.from({ length: 20_000 }, (_, i) => `line ${i} ${'é'.repeat(25)}\n`).join('');
    expect(Buffer.byteLength(text)).toBeGreaterThan(16 * 65_536);
    writeFd(fd, text);
    fs.closeSync(fd);
    fs.closeSync(keep);
    expect(await done).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(text);
  });

  it.each(['advice', 'report'])(
    '`%s --json` writes the same JSON into a file, a shell pipe, a socket and /dev/null',
    (command) => {
      const data = history(60);
      const now = new Date().toISOString();
      const env = { ...process.env, ...ENV, KNEECHECK_DATA_DIR: data, KNEECHECK_NOW: now };
      const file = path.join(data, 'out.json');
      const run = (shell: string) =>
        spawnSync('bash', ['-o', 'pipefail', '-c', shell], { env, encoding: 'utf8' });
      const bin = JSON.stringify(BIN);
      const toFile = run(`"${process.execPath}" ${bin} ${command} --json > "${file}"`);
      expect(toFile.stderr).toBe('');
      expect(toFile.status).toBe(0);
      const written = fs.readFileSync(file, 'utf8');
      expect(JSON.parse(written)).toBeTypeOf('object');
      const piped = run(`"${process.execPath}" ${bin} ${command} --json | cat`);
      expect(piped.status).toBe(0);
      // Node's own spawn gives the child a socket.
      const socket = spawnSync(process.execPath, [BIN, command, '--json'], {
        env,
        encoding: 'utf8',
      });
      expect(socket.status).toBe(0);
      expect(piped.stdout).toBe(written);
      expect(socket.stdout).toBe(written);
      const devNull = run(`"${process.execPath}" ${bin} ${command} --json > /dev/null`);
      expect(devNull.stderr).toBe('');
      expect(devNull.status).toBe(0);
    },
  );

  it.each([['advice'], ['report'], ['runs']])(
    '`%s --json` ends quietly with exit 0 when its reader has already gone',
    async (command) => {
      const data = history(30);
      const child = spawnCli([command, '--json'], { KNEECHECK_DATA_DIR: data });
      child.stdout.destroy(); // gone before the command has written a byte
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr).toBe('');
      expect(code).toBe(0);
    },
  );
});

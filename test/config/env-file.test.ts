import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { MAX_ENV_FILE_BYTES } from '../../src/config/env-file.ts';
import { KneecheckError } from '../../src/errors.ts';
import { tempDir } from '../support/paths.ts';

const fromFile = (envFile: string) => loadConfig({ env: {}, envFile });

/** The error loading the config with `envFile` throws (a test failure when it throws none). */
function refusal(envFile: string): KneecheckError {
  try {
    fromFile(envFile);
  } catch (e) {
    if (e instanceof KneecheckError) return e;
    throw e;
  }
  throw new Error(`${envFile} was accepted`);
}

describe('odd .env files (issue 21 item 11)', () => {
  it('a UTF-8 byte order mark does not drop the first line', () => {
    const file = path.join(tempDir(), '.env');
    fs.writeFileSync(file, '\uFEFFKNEECHECK_UNITS=imperial\nKNEECHECK_PORT=9003\n');
    const config = fromFile(file);
    expect(config.units).toBe('imperial');
    expect(config.port).toBe(9003);
  });

  it('a FIFO is refused at once, by name, instead of hanging', () => {
    const file = path.join(tempDir(), '.env');
    execFileSync('mkfifo', [file]);
    const e = refusal(file);
    expect(e.message).toContain(file);
    expect(e.message).toContain('FIFO');
  });

  it('a link to /dev/zero is refused (a device), a link to a regular file is read', () => {
    const dir = tempDir();
    const zero = path.join(dir, 'zero.env');
    fs.symlinkSync('/dev/zero', zero);
    expect(refusal(zero).message).toMatch(/zero\.env is a device, not a regular file/);
    const real = path.join(dir, 'real.env');
    fs.writeFileSync(real, 'KNEECHECK_UNITS=imperial\n');
    const link = path.join(dir, 'link.env');
    fs.symlinkSync(real, link);
    expect(fromFile(link).units).toBe('imperial');
  });

  it('a folder or a file past 64 KB is refused by name; an absent file is fine', () => {
    const dir = tempDir();
    expect(refusal(dir).message).toContain('is a folder');
    const big = path.join(dir, 'big.env');
    fs.writeFileSync(big, `# ${'x'.repeat(MAX_ENV_FILE_BYTES)}\n`);
    expect(refusal(big).message).toMatch(/big\.env is \d+ bytes/);
    expect(fromFile(path.join(dir, 'none.env')).units).toBe('metric');
  });
});

import { describe, expect, it, vi } from 'vitest';
import { decodeJob } from '../../src/import/decode.ts';
import { DecodePool } from '../../src/import/pool.ts';
import { simpleRun } from '../support/synth-fit.ts';

const ctx = { timezone: 'Europe/Berlin' };
const job = (n: number) => ({
  file: `${n}.fit`,
  bytes: simpleRun(new Date(Date.UTC(2026, 9, 1 + n, 6))),
  sha256: `sha-${n}`,
});

describe('a decoder pool with an idle time (the daemon after a burst)', () => {
  it('stops its threads once idle for that long, and starts them again for the next file', async () => {
    const pool = new DecodePool(2, ctx, { idleMs: 50 });
    try {
      const first = await Promise.all([pool.decode(job(0)), pool.decode(job(1))]);
      expect(first).toEqual([decodeJob(job(0), ctx), decodeJob(job(1), ctx)]);
      expect(pool.threads).toBe(2);
      await vi.waitFor(() => expect(pool.threads).toBe(0), { timeout: 10_000, interval: 20 });
      expect(await pool.decode(job(2))).toEqual(decodeJob(job(2), ctx));
      expect(pool.threads).toBe(1);
    } finally {
      await pool.close();
    }
    expect(pool.threads).toBe(0);
  });

  it('keeps its threads while jobs keep coming, without an idle time', async () => {
    const pool = new DecodePool(1, ctx);
    try {
      await pool.decode(job(0));
      await pool.decode(job(1));
      expect(pool.threads).toBe(1);
    } finally {
      await pool.close();
    }
  });
});

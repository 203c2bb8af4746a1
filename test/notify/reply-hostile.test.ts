import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunId } from '../../src/model.ts';
import { MAX_LINE_BYTES } from '../../src/notify/ntfy-stream.ts';
import { answerLoop, prompt, type Loop } from './reply-harness.ts';

let loop: Loop;
afterEach(() => loop.close());

const checksOf = (l: Loop, i: number) => l.store.checks.forRun(l.runs[i]?.id ?? ('' as RunId));
const WAIT = { timeout: 5_000, interval: 10 };

describe('a hostile ntfy server (issue 21 item 7)', () => {
  it('a line past 64 KB drops the connection, which is reopened, and answers still arrive', async () => {
    loop = await answerLoop();
    await prompt(loop, loop.runs[1]);
    await vi.waitFor(() => expect(loop.ntfy.openStreams()).toBe(1), WAIT);
    const before = loop.ntfy.subscriptions.length;
    // 16 MB without a newline: read up to the limit, then the stream is dropped.
    const huge = new Uint8Array(16 * 1024 * 1024).fill(0x78);
    expect(await loop.ntfy.sendRaw(loop.replyTopic, huge)).toBe(1);
    await vi.waitFor(() => expect(loop.ntfy.subscriptions.length).toBe(before + 1), WAIT);
    expect(loop.logs()).toContain(`a line longer than ${MAX_LINE_BYTES / 1024} KB`);
    expect(loop.logs()).not.toContain(loop.replyTopic);
    await vi.waitFor(() => expect(loop.ntfy.openStreams()).toBe(1), WAIT);
    await loop.tap('No pain', 1);
    expect(checksOf(loop, 1)).toMatchObject([{ pain: 0, via: 'notification' }]);
  });

  it('a line split into many small chunks is read whole (the limit counts bytes, not chunks)', async () => {
    loop = await answerLoop();
    const msg = await prompt(loop, loop.runs[1]);
    await vi.waitFor(() => expect(loop.ntfy.openStreams()).toBe(1), WAIT);
    const body = msg.actions?.find((a) => a.label === 'No pain')?.body ?? '';
    const line = `${JSON.stringify({ id: 'raw-1', time: Math.floor(Date.parse('2026-11-25T12:00:00Z') / 1000), event: 'message', topic: loop.replyTopic, message: body })}\n`;
    const bytes = new TextEncoder().encode(line);
    for (let i = 0; i < bytes.length; i += 7) {
      await loop.ntfy.sendRaw(loop.replyTopic, bytes.subarray(i, i + 7));
    }
    await loop.sub.handled(1);
    expect(checksOf(loop, 1)).toMatchObject([{ pain: 0 }]);
  });

  it('an answer event without a valid time is ignored (its prompt may have expired)', async () => {
    loop = await answerLoop();
    const msg = await prompt(loop, loop.runs[1]);
    await vi.waitFor(() => expect(loop.ntfy.openStreams()).toBe(1), WAIT);
    const body = msg.actions?.find((a) => a.label === 'No pain')?.body ?? '';
    const event = { event: 'message', topic: loop.replyTopic, message: body };
    for (const [i, time] of [undefined, 0, 'now', -5, 1e300].entries()) {
      await loop.ntfy.sendRaw(
        loop.replyTopic,
        `${JSON.stringify({ ...event, id: `t${i}`, time })}\n`,
      );
    }
    // Then something the subscriber does handle: once it is handled, the five were read before it.
    const res = await fetch(`${loop.ntfy.url}/${loop.replyTopic}`, {
      method: 'POST',
      body: 'hello',
    });
    expect(res.status).toBe(200);
    await loop.sub.handled(1);
    expect(checksOf(loop, 1)).toEqual([]);
  });
});

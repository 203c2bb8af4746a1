import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ask } from '../../src/intervals/prompt.ts';

/** Types `text` into a terminal-like input and collects what is echoed. */
async function answer(text: string, secret: boolean) {
  const input = new PassThrough();
  let shown = '';
  const output = { write: (s: string | Uint8Array) => (shown += String(s)) };
  const got = ask('API key: ', { secret, input, output });
  for (const ch of text) input.write(ch);
  input.write('\r');
  return { got: await got, shown };
}

describe('the connect prompt', () => {
  it('asks, and a secret answer is never echoed', async () => {
    const key = 'kc3x9example0api0key0abcdefgh12';
    const hidden = await answer(key, true);
    expect(hidden.got).toBe(key);
    expect(hidden.shown).toContain('API key: ');
    expect(hidden.shown).not.toContain(key.slice(0, 6));
    const plain = await answer('i12345', false);
    expect(plain.got).toBe('i12345');
    expect(plain.shown).toContain('i12345');
  });
});

import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../../src/commands/progress.ts';
import type { Output } from '../../src/stdio.ts';

describe('the progress bar', () => {
  it('shows bytes as MB when asked (an Apple Health export streaming)', () => {
    let text = '';
    const tty = { isTTY: true, write: (s: string) => ((text += s), true) } as unknown as Output;
    const bar = new ProgressBar('reading Apple Health export', tty);
    bar.update(512 * 1024 * 1024, 2048 * 1024 * 1024, 'MB');
    expect(text).toBe(
      `\rreading Apple Health export [${'#'.repeat(8)}${' '.repeat(22)}] 512/2048 MB`,
    );
    expect(ProgressBar.enabled(2048 * 1024 * 1024, tty)).toBe(true);
    expect(ProgressBar.enabled(2048 * 1024 * 1024, { ...tty, isTTY: false })).toBe(false);
  });
});

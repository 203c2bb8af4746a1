import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Vitest's default is one file at a time on 2 cores (cores - 1). Most files wait on child
    // processes, servers and the disk, not the CPU: two at a time took the suite from 177 s to
    // 138 s on this 2-core machine while the benchmarks ran beside it, green both ways.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
  },
});

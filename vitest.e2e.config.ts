/**
 * End-to-end tests: a real backend and the system Chromium per file. Files run one after another
 * (2-core machine; each file holds a browser), with generous timeouts for a cold Chromium start.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});

import { defineConfig } from 'vitest/config';

// End-to-end: builds the app once (test/e2e/build-app.ts), serves the renderer with the test bridge and drives Debian's Chromium
// (test/e2e/restore.e2e.test.ts, models.e2e.test.ts). One worker: the files run one after the other.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    globalSetup: ['test/e2e/build-app.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});

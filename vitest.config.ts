import { defineConfig } from 'vitest/config';

// Node tests: engine, imaging, jobs, registry, CLI (real onnxruntime-node and sharp, real files).
// Browser component tests and end-to-end tests get their own projects later.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/e2e/**', 'test/fixtures/**', '**/*.browser.test.ts'],
    environment: 'node',
    // onnxruntime-node on 2 cores is slow: generous limits, and few workers so timings stay sane.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    passWithNoTests: true,
  },
});

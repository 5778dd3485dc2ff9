import { defineConfig } from 'vitest/config';
import { patient } from './test/helpers/patience.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Run in workerd: vitest.workers.config.ts and vitest.edge.config.ts (npm run test:worker).
    exclude: ['test/workers/**', 'test/edge/**', 'node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    // Ceilings, stretched on a loaded machine (test/helpers/patience.ts); a passing test never waits for them.
    testTimeout: patient(30_000),
    hookTimeout: patient(30_000),
    teardownTimeout: patient(10_000),
    pool: 'forks',
  },
});

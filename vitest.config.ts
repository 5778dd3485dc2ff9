import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Run in workerd: vitest.workers.config.ts and vitest.edge.config.ts (npm run test:worker).
    exclude: ['test/workers/**', 'test/edge/**', 'node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});

import { defineConfig } from 'vitest/config';
import { patient } from './test/helpers/patience.js';

/**
 * The edge build run from Node: the bundled Worker (dist-worker/, `npm run build:worker`) in
 * Miniflare — workerd with a local D1 — beside real Node nodes on 127.0.0.1.
 */
export default defineConfig({
  test: {
    include: ['test/edge/**/*.test.ts'],
    testTimeout: patient(60_000),
    hookTimeout: patient(60_000),
    pool: 'forks',
  },
});

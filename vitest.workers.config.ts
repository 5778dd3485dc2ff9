import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { patient } from './test/helpers/patience.js';

/**
 * The suites that run inside workerd (the Workers runtime) with a local D1 database and R2 bucket
 * (`FILES`): the store conformance suite on D1, the blob store conformance suite on R2, and the
 * worker's own tests. The migrations under migrations/ are applied in setup the way
 * `wrangler d1 migrations apply` applies them.
 */
export default defineConfig(async () => {
  const migrations = await readD1Migrations('migrations');
  return {
    plugins: [
      cloudflareTest({
        miniflare: {
          compatibilityDate: '2026-05-01',
          d1Databases: { DB: 'yrdx-test' },
          r2Buckets: { FILES: 'yrdx-files-test' },
          bindings: { TEST_MIGRATIONS: migrations },
        },
      }),
    ],
    test: {
      include: ['test/workers/**/*.test.ts'],
      setupFiles: ['test/workers/apply-migrations.ts'],
      testTimeout: patient(30_000),
      hookTimeout: patient(30_000),
    },
  };
});

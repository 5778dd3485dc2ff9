// The few declarations of the Workers test environment these suites use (the Workers type package
// is not a dependency of yrdx).
declare module 'cloudflare:workers' {
  export const env: {
    readonly DB: import('../../src/store/d1/db.js').D1Database;
    readonly FILES: import('../../src/runtime/worker/r2.js').R2Bucket;
    readonly TEST_MIGRATIONS: import('@cloudflare/vitest-pool-workers').D1Migration[];
  };
}

declare module 'cloudflare:test' {
  export function applyD1Migrations(
    db: import('../../src/store/d1/db.js').D1Database,
    migrations: import('@cloudflare/vitest-pool-workers').D1Migration[],
  ): Promise<void>;
}

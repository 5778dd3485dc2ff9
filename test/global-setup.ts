import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { testDatabase } from './helpers/postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The database of the PostgreSQL suites (see test/helpers/pg-suite.ts). */
    postgresUrl: string | undefined;
    /** Why there is none: the PostgreSQL suites fail with this message. */
    postgresError: string | undefined;
  }
}

/**
 * Builds dist/ once before the suites, so that the tests that run `bin/yrdx.js` and
 * `npm start`'s entry run the code under test, not an older build. Then finds the PostgreSQL
 * database of the PostgreSQL suites: DATABASE_URL when set and reachable, else a throwaway cluster
 * started here and removed after the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
  const database = await testDatabase();
  project.provide('postgresUrl', database.url);
  project.provide('postgresError', database.error);
  return () => database.stop();
}

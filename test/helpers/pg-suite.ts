import { inject } from 'vitest';

/**
 * The URL of the PostgreSQL database the global setup found or started. Throws, failing the suite
 * that asks, when there is none: CI installs PostgreSQL, so its absence is an error, not a skip.
 */
export function postgresUrl(): string {
  const url = inject('postgresUrl');
  if (url === undefined) {
    throw new Error(
      `the PostgreSQL suites need PostgreSQL: ${inject('postgresError') ?? 'no database was set up'}`,
    );
  }
  return url;
}

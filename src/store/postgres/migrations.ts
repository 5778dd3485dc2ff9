import type { Pool } from 'pg';
import { MIGRATIONS } from '../schema/postgres.js';

export { MIGRATIONS } from '../schema/postgres.js';

/** A key of PostgreSQL's advisory locks, for the one session that migrates at a time. */
const MIGRATION_LOCK = 7_220_507;

/**
 * Applies the migrations not yet recorded in `schema_migrations`, each in its own transaction. The
 * whole run holds a session advisory lock: instances starting at once wait for each other, and the
 * first applies what is missing.
 */
export async function migrate(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name    TEXT NOT NULL
)`);
      const applied = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const done = new Set(applied.rows.map((r) => r.version));
      for (const migration of MIGRATIONS) {
        if (done.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            migration.version,
            migration.name,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

import type { Migration } from '../schema/migration.js';
import { MIGRATIONS } from '../schema/sqlite.js';
import type { D1Database } from './db.js';

/**
 * The file name of a migration under `migrations/` (what `wrangler d1 migrations apply` records in
 * `d1_migrations`): `0001_initial.sql`, `0002_audit_log_and_payload_retention.sql`, …
 */
export function migrationFileName(migration: Migration): string {
  const slug = migration.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  return `${String(migration.version).padStart(4, '0')}_${slug}.sql`;
}

/** The statements of a migration's SQL, one by one (D1 prepares one statement at a time). */
export function migrationStatements(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

/**
 * Applies the migrations not yet recorded in `d1_migrations`, the table `wrangler d1 migrations
 * apply` keeps: a database migrated by wrangler and one migrated by the store agree on what was
 * applied. Each migration is one batch with its record, the record first: of two instances
 * migrating at once, the second fails on the record's UNIQUE name and finds the migration applied.
 */
export async function migrate(db: D1Database): Promise<void> {
  await db
    .prepare(
      `CREATE TABLE IF NOT EXISTS d1_migrations (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        name       TEXT UNIQUE,
        applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
      )`,
    )
    .run();
  const applied = async () =>
    new Set(
      (await db.prepare('SELECT name FROM d1_migrations').all<{ name: string }>()).results.map((r) => r.name),
    );
  let done = await applied();
  for (const migration of MIGRATIONS) {
    const name = migrationFileName(migration);
    if (done.has(name)) continue;
    try {
      await db.batch([
        db.prepare('INSERT INTO d1_migrations (name) VALUES (?1)').bind(name),
        ...migrationStatements(migration.sql).map((statement) => db.prepare(statement)),
      ]);
    } catch (error) {
      done = await applied();
      if (!done.has(name)) throw error;
    }
  }
}

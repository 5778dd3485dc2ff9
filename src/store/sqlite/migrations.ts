import type Database from 'better-sqlite3';
import { MIGRATIONS } from '../schema/sqlite.js';

export { MIGRATIONS } from '../schema/sqlite.js';

/** Applies the migrations not yet recorded in `schema_migrations`, each in its own transaction. */
export function migrate(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name    TEXT NOT NULL
)`);
  const applied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
  const record = db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)');
  for (const migration of MIGRATIONS) {
    const apply = db.transaction(() => {
      // Checked inside the (immediate) transaction: two processes migrating at once apply it once.
      if (applied.get(migration.version) !== undefined) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name);
    });
    apply.immediate();
  }
}

// Writes migrations/*.sql (for `wrangler d1 migrations apply`) from the schema in
// src/store/schema/sqlite.ts, the one source of both the SQLite and the D1 schema. `--check` writes
// nothing and fails when the files are not current.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationFileName } from '../src/store/d1/migrations.js';
import { MIGRATIONS } from '../src/store/schema/sqlite.js';

export function expectedMigrationFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const migration of MIGRATIONS) {
    files.set(
      migrationFileName(migration),
      `-- Migration ${migration.version}: ${migration.name}. Generated from src/store/schema/sqlite.ts by\n-- scripts/write-d1-migrations.ts; do not edit.\n${migration.sql.trim()}\n`,
    );
  }
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = 'migrations';
  const check = process.argv.includes('--check');
  const expected = expectedMigrationFiles();
  const stale = [...expected].filter(([name, text]) => {
    const path = join(dir, name);
    return !existsSync(path) || readFileSync(path, 'utf8') !== text;
  });
  const extra = existsSync(dir) ? readdirSync(dir).filter((f) => !expected.has(f)) : [];
  if (check) {
    if (stale.length + extra.length > 0) {
      console.error(`migrations/ is not current: ${[...stale.map(([n]) => n), ...extra].join(', ')}`);
      process.exit(1);
    }
  } else {
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of stale) writeFileSync(join(dir, name), text);
    console.log(`migrations/: ${stale.length} of ${expected.size} file(s) written`);
  }
}

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectedMigrationFiles } from '../../scripts/write-d1-migrations.js';
import { migrationStatements } from '../../src/store/d1/migrations.js';

describe('D1 migrations', () => {
  it('are current in migrations/ (npx tsx scripts/write-d1-migrations.ts writes them)', () => {
    const expected = expectedMigrationFiles();
    expect(readdirSync('migrations').sort()).toEqual([...expected.keys()].sort());
    for (const [name, text] of expected) expect(readFileSync(`migrations/${name}`, 'utf8')).toBe(text);
  });

  it('split into single statements without comments', () => {
    expect(migrationStatements('-- a\nCREATE TABLE a (x TEXT);\n-- b\nCREATE INDEX b ON a (x);\n')).toEqual([
      'CREATE TABLE a (x TEXT)',
      'CREATE INDEX b ON a (x)',
    ]);
  });
});

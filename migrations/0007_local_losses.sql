-- Migration 7: local-losses. Generated from src/store/schema/sqlite.ts by
-- scripts/write-d1-migrations.ts; do not edit.
-- The canonical JSON pointers a local system's dialect could not carry of the message it receives:
-- JSON {"pointers": [...], "omitted": n}, NULL when nothing was lost.
ALTER TABLE local_deliveries ADD COLUMN losses TEXT;

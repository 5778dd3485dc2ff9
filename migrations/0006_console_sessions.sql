-- Migration 6: console-sessions. Generated from src/store/schema/sqlite.ts by
-- scripts/write-d1-migrations.ts; do not edit.
-- Console sessions, shared by every instance of the node: the cookie's random id only as its
-- SHA-256; ended at sign-out, when idle past expires_at, or at ends_at however active.
CREATE TABLE console_sessions (
  id_hash    TEXT PRIMARY KEY,
  credential TEXT NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'auditor')),
  csrf       TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ends_at    INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX console_sessions_expires ON console_sessions (expires_at);

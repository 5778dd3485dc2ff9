-- Migration 9: case-files. Generated from src/store/schema/sqlite.ts by
-- scripts/write-d1-migrations.ts; do not edit.
CREATE TABLE uploads (
  id              TEXT PRIMARY KEY,
  local_system    TEXT NOT NULL,
  name            TEXT NOT NULL,
  declared_type   TEXT,
  expected_digest TEXT,
  length          INTEGER NOT NULL,
  algorithm       TEXT NOT NULL CHECK (algorithm IN ('SHA-256', 'SM3')),
  offset_bytes    INTEGER NOT NULL DEFAULT 0,
  expires_at      INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  completed_at    INTEGER,
  digest          TEXT,
  media_type      TEXT
);
CREATE INDEX uploads_expires ON uploads (expires_at);
CREATE TABLE message_files (
  side       TEXT NOT NULL CHECK (side IN ('out', 'in')),
  iss        TEXT NOT NULL,
  jti        TEXT NOT NULL,
  idx        INTEGER NOT NULL,
  name       TEXT NOT NULL,
  media_type TEXT NOT NULL,
  size       INTEGER NOT NULL,
  digest     TEXT NOT NULL,
  state      TEXT NOT NULL CHECK (state IN ('pending', 'arrived', 'refused')),
  bytes      INTEGER NOT NULL DEFAULT 0,
  error      TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (side, iss, jti, idx)
);
CREATE INDEX message_files_digest ON message_files (digest);
CREATE TABLE file_fetches (
  iss             TEXT NOT NULL,
  jti             TEXT NOT NULL,
  fetch_id        TEXT NOT NULL UNIQUE,
  status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'retry', 'done', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  lease_owner     TEXT,
  lease_token     TEXT,
  lease_until     INTEGER,
  last_error      TEXT,
  receipt_token   TEXT,
  receipt_sha256  TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (iss, jti)
);
CREATE INDEX file_fetches_due ON file_fetches (status, next_attempt_at);
CREATE TABLE held_deliveries (
  iss          TEXT NOT NULL,
  jti          TEXT NOT NULL,
  local_system TEXT NOT NULL,
  mode         TEXT NOT NULL CHECK (mode IN ('push', 'pull')),
  body         TEXT NOT NULL,
  losses       TEXT,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (iss, jti, local_system)
);
CREATE TABLE files_receipts (
  message_id  TEXT NOT NULL,
  recipient   TEXT NOT NULL,
  token       TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('arrived', 'refused')),
  files       TEXT NOT NULL,
  issued_at   INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (message_id, recipient)
);

-- Migration 2: audit log and payload retention. Generated from src/store/schema/sqlite.ts by
-- scripts/write-d1-migrations.ts; do not edit.
-- The hash-chained audit log. seq is AUTOINCREMENT so that sqlite_sequence remembers the highest seq
-- ever assigned: entries deleted from the end of the log are then still noticed.
CREATE TABLE audit_log (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  at         INTEGER NOT NULL,
  kind       TEXT NOT NULL,
  message_id TEXT,
  partner    TEXT,
  domain     TEXT,
  type       TEXT,
  sha256     TEXT,
  actor      TEXT,
  role       TEXT,
  action     TEXT,
  outcome    TEXT,
  status     INTEGER,
  detail     TEXT,
  prev       TEXT NOT NULL,
  hash       TEXT NOT NULL
);
CREATE INDEX audit_log_message ON audit_log (message_id, seq);

-- Set when retention removed a message's payload (token and bodies emptied, digests kept).
ALTER TABLE outbound_messages ADD COLUMN purged_at INTEGER;
ALTER TABLE inbound_messages ADD COLUMN purged_at INTEGER;
CREATE INDEX outbound_messages_retention ON outbound_messages (domain, created_at) WHERE purged_at IS NULL;
CREATE INDEX inbound_messages_retention ON inbound_messages (domain, received_at) WHERE purged_at IS NULL;

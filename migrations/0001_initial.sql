-- Migration 1: initial. Generated from src/store/schema/sqlite.ts by
-- scripts/write-d1-migrations.ts; do not edit.
CREATE TABLE outbound_messages (
  message_id   TEXT PRIMARY KEY,
  local_system TEXT NOT NULL,
  type         TEXT NOT NULL,
  domain       TEXT NOT NULL,
  contract     TEXT NOT NULL,
  thread       TEXT NOT NULL,
  in_reply_to  TEXT,
  token        TEXT NOT NULL,
  sha256       TEXT NOT NULL,
  canonical    TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
);
CREATE INDEX outbound_messages_thread ON outbound_messages (thread);

CREATE TABLE deliveries (
  delivery_id         TEXT PRIMARY KEY,
  message_id          TEXT NOT NULL REFERENCES outbound_messages (message_id) ON DELETE CASCADE,
  recipient           TEXT NOT NULL,
  status              TEXT NOT NULL
                      CHECK (status IN ('queued', 'sending', 'retry', 'delivered', 'rejected', 'dead')),
  attempts            INTEGER NOT NULL DEFAULT 0,
  next_attempt_at     INTEGER,
  lease_owner         TEXT,
  lease_token         TEXT,
  lease_until         INTEGER,
  last_error          TEXT,
  receipt_token       TEXT,
  receipt_sha256      TEXT,
  receipt_received_at INTEGER,
  rejection_status    INTEGER,
  rejection_code      TEXT,
  rejection_detail    TEXT,
  updated_at          INTEGER NOT NULL,
  UNIQUE (message_id, recipient)
);
-- The two halves of the claim query: due rows, and rows whose lease has expired.
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_lease ON deliveries (status, lease_until);

CREATE TABLE history_events (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL REFERENCES outbound_messages (message_id) ON DELETE CASCADE,
  at         INTEGER NOT NULL,
  event      TEXT NOT NULL,
  recipient  TEXT,
  detail     TEXT
);
CREATE INDEX history_events_message ON history_events (message_id, seq);

CREATE TABLE idempotency_keys (
  local_system   TEXT NOT NULL,
  idem_key       TEXT NOT NULL,
  request_sha256 TEXT NOT NULL,
  message_id     TEXT NOT NULL REFERENCES outbound_messages (message_id) ON DELETE CASCADE,
  created_at     INTEGER NOT NULL,
  PRIMARY KEY (local_system, idem_key)
);

CREATE TABLE inbound_messages (
  iss            TEXT NOT NULL,
  jti            TEXT NOT NULL,
  sha256         TEXT NOT NULL,
  token          TEXT NOT NULL,
  type           TEXT NOT NULL,
  domain         TEXT NOT NULL,
  contract       TEXT NOT NULL,
  thread         TEXT NOT NULL,
  in_reply_to    TEXT,
  canonical      TEXT NOT NULL,
  receipt_token  TEXT NOT NULL,
  receipt_sha256 TEXT NOT NULL,
  expires_at     INTEGER NOT NULL,
  received_at    INTEGER NOT NULL,
  PRIMARY KEY (iss, jti)
);
CREATE INDEX inbound_messages_expires ON inbound_messages (expires_at);

-- seq is AUTOINCREMENT so it never goes back, even after deletions: it is the pull cursor.
CREATE TABLE local_deliveries (
  seq               INTEGER PRIMARY KEY AUTOINCREMENT,
  local_delivery_id TEXT NOT NULL UNIQUE,
  iss               TEXT NOT NULL,
  jti               TEXT NOT NULL,
  local_system      TEXT NOT NULL,
  mode              TEXT NOT NULL CHECK (mode IN ('push', 'pull')),
  body              TEXT NOT NULL,
  status            TEXT NOT NULL
                    CHECK (status IN ('queued', 'sending', 'retry', 'delivered', 'rejected', 'dead', 'acked')),
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   INTEGER,
  lease_owner       TEXT,
  lease_token       TEXT,
  lease_until       INTEGER,
  last_error        TEXT,
  acked_at          INTEGER,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  FOREIGN KEY (iss, jti) REFERENCES inbound_messages (iss, jti) ON DELETE CASCADE
);
CREATE INDEX local_deliveries_message ON local_deliveries (iss, jti);
-- Pull rows never have a next_attempt_at, so the push claim query finds only push rows here.
CREATE INDEX local_deliveries_due ON local_deliveries (status, next_attempt_at);
CREATE INDEX local_deliveries_lease ON local_deliveries (status, lease_until);
CREATE INDEX local_deliveries_pull ON local_deliveries (local_system, mode, seq);

CREATE TABLE threads (
  thread_id  TEXT PRIMARY KEY,
  partner    TEXT NOT NULL,
  direction  TEXT NOT NULL CHECK (direction IN ('outbound', 'inbound')),
  type       TEXT NOT NULL,
  domain     TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  opened_at  INTEGER NOT NULL,
  due_at     INTEGER NOT NULL,
  closed_at  INTEGER,
  request_id TEXT NOT NULL,
  reply_id   TEXT
);
CREATE INDEX threads_status_due ON threads (status, due_at);
CREATE INDEX threads_partner ON threads (partner, status);

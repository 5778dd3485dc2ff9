import type { Migration } from './migration.js';
import { caseFiles, consoleSessions, localLosses, traceparent, workflows } from './shared.js';

/**
 * The schema of the SQL stores that speak SQLite (the embedded SQLite store and D1), as migrations
 * applied in order. A migration is never edited once released:
 * a change of schema is a new entry at the end. Times are integer Unix milliseconds; JSON is TEXT.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
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
`,
  },
  {
    version: 2,
    name: 'audit log and payload retention',
    sql: `
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
`,
  },
  {
    version: 3,
    name: 'admin-search',
    sql: `
-- The case number, read from the canonical body, so that administrators can search by it.
ALTER TABLE outbound_messages ADD COLUMN case_number TEXT
  GENERATED ALWAYS AS (json_extract(canonical, '$.case.caseNumber')) VIRTUAL;
ALTER TABLE inbound_messages ADD COLUMN case_number TEXT
  GENERATED ALWAYS AS (json_extract(canonical, '$.case.caseNumber')) VIRTUAL;
CREATE INDEX outbound_messages_case ON outbound_messages (case_number);
CREATE INDEX inbound_messages_case ON inbound_messages (case_number);
CREATE INDEX outbound_messages_created ON outbound_messages (created_at);
CREATE INDEX inbound_messages_received ON inbound_messages (received_at);
CREATE INDEX inbound_messages_thread ON inbound_messages (thread);
-- Queue depth and dead letters per partner, and outcomes per partner over a window.
CREATE INDEX deliveries_recipient ON deliveries (recipient, status);
CREATE INDEX history_events_recipient ON history_events (recipient, at);
`,
  },
  {
    version: 4,
    name: 'traceparent',
    sql: traceparent,
  },
  {
    version: 5,
    name: 'case-number-column',
    sql: `
-- The case number becomes a column of its own, written with the message, so that a search by it
-- still finds a message after retention removed its canonical body (it was read from that body).
DROP INDEX outbound_messages_case;
DROP INDEX inbound_messages_case;
ALTER TABLE outbound_messages DROP COLUMN case_number;
ALTER TABLE inbound_messages DROP COLUMN case_number;
ALTER TABLE outbound_messages ADD COLUMN case_number TEXT;
ALTER TABLE inbound_messages ADD COLUMN case_number TEXT;
UPDATE outbound_messages SET case_number = json_extract(canonical, '$.case.caseNumber')
  WHERE json_valid(canonical) AND json_type(canonical, '$.case.caseNumber') = 'text';
UPDATE inbound_messages SET case_number = json_extract(canonical, '$.case.caseNumber')
  WHERE json_valid(canonical) AND json_type(canonical, '$.case.caseNumber') = 'text';
CREATE INDEX outbound_messages_case ON outbound_messages (case_number);
CREATE INDEX inbound_messages_case ON inbound_messages (case_number);
`,
  },
  {
    version: 6,
    name: 'console-sessions',
    sql: consoleSessions({ time: 'INTEGER' }),
  },
  {
    version: 7,
    name: 'local-losses',
    sql: localLosses,
  },
  {
    version: 8,
    name: 'workflows',
    sql: workflows({ time: 'INTEGER' }),
  },
  {
    version: 9,
    name: 'case-files',
    sql: caseFiles({ time: 'INTEGER' }),
  },
];

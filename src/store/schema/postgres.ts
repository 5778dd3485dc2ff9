import type { Migration } from './migration.js';
import { caseFiles, consoleSessions, localLosses, traceparent, workflows } from './shared.js';

/**
 * The PostgreSQL schema, as migrations applied in order: the same steps as the SQLite schema
 * (./sqlite.ts) in PostgreSQL's dialect, then what only several instances need
 * (the claim log). A migration is never edited once released: a change of schema is a new entry at
 * the end. Times are bigint Unix milliseconds; JSON is TEXT, kept byte for byte as it was stored.
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
  created_at   BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL
);
CREATE INDEX outbound_messages_thread ON outbound_messages (thread);

CREATE TABLE deliveries (
  seq                 BIGINT GENERATED ALWAYS AS IDENTITY,
  delivery_id         TEXT PRIMARY KEY,
  message_id          TEXT NOT NULL REFERENCES outbound_messages (message_id) ON DELETE CASCADE,
  recipient           TEXT NOT NULL,
  status              TEXT NOT NULL
                      CHECK (status IN ('queued', 'sending', 'retry', 'delivered', 'rejected', 'dead')),
  attempts            INTEGER NOT NULL DEFAULT 0,
  next_attempt_at     BIGINT,
  lease_owner         TEXT,
  lease_token         TEXT,
  lease_until         BIGINT,
  last_error          TEXT,
  receipt_token       TEXT,
  receipt_sha256      TEXT,
  receipt_received_at BIGINT,
  rejection_status    INTEGER,
  rejection_code      TEXT,
  rejection_detail    TEXT,
  updated_at          BIGINT NOT NULL,
  UNIQUE (message_id, recipient)
);
-- The two halves of the claim query: due rows, and rows whose lease has expired.
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status IN ('queued', 'retry');
CREATE INDEX deliveries_lease ON deliveries (lease_until) WHERE status = 'sending';

CREATE TABLE history_events (
  seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id TEXT NOT NULL REFERENCES outbound_messages (message_id) ON DELETE CASCADE,
  at         BIGINT NOT NULL,
  event      TEXT NOT NULL,
  recipient  TEXT,
  detail     TEXT
);
CREATE INDEX history_events_message ON history_events (message_id, seq);

-- The key is inserted first in a submission; its message follows in the same unit (hence deferred).
CREATE TABLE idempotency_keys (
  local_system   TEXT NOT NULL,
  idem_key       TEXT NOT NULL,
  request_sha256 TEXT NOT NULL,
  message_id     TEXT NOT NULL REFERENCES outbound_messages (message_id) ON DELETE CASCADE
                 DEFERRABLE INITIALLY DEFERRED,
  created_at     BIGINT NOT NULL,
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
  expires_at     BIGINT NOT NULL,
  received_at    BIGINT NOT NULL,
  PRIMARY KEY (iss, jti)
);
CREATE INDEX inbound_messages_expires ON inbound_messages (expires_at);

-- seq is the pull cursor. Rows are inserted while the unit holds the audit head's row lock, so seqs
-- become visible in the order they were assigned and a reader never skips one committed later.
CREATE TABLE local_deliveries (
  seq               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  local_delivery_id TEXT NOT NULL UNIQUE,
  iss               TEXT NOT NULL,
  jti               TEXT NOT NULL,
  local_system      TEXT NOT NULL,
  mode              TEXT NOT NULL CHECK (mode IN ('push', 'pull')),
  body              TEXT NOT NULL,
  status            TEXT NOT NULL
                    CHECK (status IN ('queued', 'sending', 'retry', 'delivered', 'rejected', 'dead', 'acked')),
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   BIGINT,
  lease_owner       TEXT,
  lease_token       TEXT,
  lease_until       BIGINT,
  last_error        TEXT,
  acked_at          BIGINT,
  created_at        BIGINT NOT NULL,
  updated_at        BIGINT NOT NULL,
  FOREIGN KEY (iss, jti) REFERENCES inbound_messages (iss, jti) ON DELETE CASCADE
);
CREATE INDEX local_deliveries_message ON local_deliveries (iss, jti);
CREATE INDEX local_deliveries_due ON local_deliveries (next_attempt_at)
  WHERE mode = 'push' AND status IN ('queued', 'retry');
CREATE INDEX local_deliveries_lease ON local_deliveries (lease_until) WHERE status = 'sending';
CREATE INDEX local_deliveries_pull ON local_deliveries (local_system, mode, seq);

CREATE TABLE threads (
  thread_id  TEXT PRIMARY KEY,
  partner    TEXT NOT NULL,
  direction  TEXT NOT NULL CHECK (direction IN ('outbound', 'inbound')),
  type       TEXT NOT NULL,
  domain     TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  opened_at  BIGINT NOT NULL,
  due_at     BIGINT NOT NULL,
  closed_at  BIGINT,
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
CREATE TABLE audit_log (
  seq        BIGINT PRIMARY KEY,
  at         BIGINT NOT NULL,
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

-- The head of the chain: one row, locked (SELECT ... FOR UPDATE) by every unit that appends, so
-- that instances appending at once take turns and the chain never forks. Its seq is the highest
-- ever assigned: entries deleted from the end of the log are still noticed.
CREATE TABLE audit_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

ALTER TABLE outbound_messages ADD COLUMN purged_at BIGINT;
ALTER TABLE inbound_messages ADD COLUMN purged_at BIGINT;
CREATE INDEX outbound_messages_retention ON outbound_messages (domain, created_at) WHERE purged_at IS NULL;
CREATE INDEX inbound_messages_retention ON inbound_messages (domain, received_at) WHERE purged_at IS NULL;
`,
  },
  {
    version: 3,
    name: 'admin-search',
    sql: `
ALTER TABLE outbound_messages ADD COLUMN case_number TEXT
  GENERATED ALWAYS AS ((canonical::jsonb) #>> '{case,caseNumber}') STORED;
ALTER TABLE inbound_messages ADD COLUMN case_number TEXT
  GENERATED ALWAYS AS ((canonical::jsonb) #>> '{case,caseNumber}') STORED;
CREATE INDEX outbound_messages_case ON outbound_messages (case_number);
CREATE INDEX inbound_messages_case ON inbound_messages (case_number);
CREATE INDEX outbound_messages_created ON outbound_messages (created_at);
CREATE INDEX inbound_messages_received ON inbound_messages (received_at);
CREATE INDEX inbound_messages_thread ON inbound_messages (thread);
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
    name: 'claim log',
    sql: `
-- Every lease handed out, by whom, until when, and when its outcome was recorded: with several
-- instances, proof that no row was held by two of them at once (each row's intervals
-- [claimed_at, coalesce(settled_at, lease_until)] are disjoint). Retention prunes settled entries.
CREATE TABLE claim_log (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  queue       TEXT NOT NULL CHECK (queue IN ('delivery', 'local-push')),
  row_id      TEXT NOT NULL,
  worker      TEXT NOT NULL,
  lease_token TEXT NOT NULL UNIQUE,
  claimed_at  BIGINT NOT NULL,
  lease_until BIGINT NOT NULL,
  settled_at  BIGINT
);
CREATE INDEX claim_log_row ON claim_log (queue, row_id, claimed_at);
`,
  },
  {
    version: 6,
    name: 'case-number-column',
    sql: `
-- The case number becomes a column of its own, written with the message, so that a search by it
-- still finds a message after retention removed its canonical body (it was computed from that
-- body). The values computed so far are kept.
ALTER TABLE outbound_messages ALTER COLUMN case_number DROP EXPRESSION;
ALTER TABLE inbound_messages ALTER COLUMN case_number DROP EXPRESSION;
`,
  },
  {
    version: 7,
    name: 'console-sessions',
    sql: consoleSessions({ time: 'BIGINT' }),
  },
  {
    version: 8,
    name: 'local-losses',
    sql: localLosses,
  },
  {
    version: 9,
    name: 'workflows',
    sql: workflows({ time: 'BIGINT' }),
  },
  {
    version: 10,
    name: 'case-files',
    sql: caseFiles({ time: 'BIGINT' }),
  },
];

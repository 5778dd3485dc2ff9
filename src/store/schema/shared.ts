import type { SchemaDialect } from './migration.js';

// Migrations the dialects write alike, each written once. The SQLite text is the released one,
// byte for byte (migrations/ is generated from it); PostgreSQL's differs only where it says.

/** The W3C traceparent of the hop that stored a message, sent on to the next hop. */
export const traceparent = `
-- The W3C traceparent of the hop that stored the message, sent on to the next hop.
ALTER TABLE outbound_messages ADD COLUMN traceparent TEXT;
ALTER TABLE inbound_messages ADD COLUMN traceparent TEXT;
`;

/** What each local system's dialect could not carry of a received message (issue 16). */
export const localLosses = `
-- The canonical JSON pointers a local system's dialect could not carry of the message it receives:
-- JSON {"pointers": [...], "omitted": n}, NULL when nothing was lost.
ALTER TABLE local_deliveries ADD COLUMN losses TEXT;
`;

/** Console sessions, shared by every instance of the node. */
export function consoleSessions({ time }: SchemaDialect): string {
  return `
-- Console sessions, shared by every instance of the node: the cookie's random id only as its
-- SHA-256; ended at sign-out, when idle past expires_at, or at ends_at however active.
CREATE TABLE console_sessions (
  id_hash    TEXT PRIMARY KEY,
  credential TEXT NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'auditor')),
  csrf       TEXT NOT NULL,
  started_at ${time} NOT NULL,
  ends_at    ${time} NOT NULL,
  expires_at ${time} NOT NULL
);
CREATE INDEX console_sessions_expires ON console_sessions (expires_at);
`;
}

/**
 * Cooperation workflows (issue 17): a thread has one track per counterpart, each in a state of the
 * workflow its request opened, and every move is recorded. Threads recorded before keep their
 * status as their one track's state (`open`, `closed`), and their request and reply as transitions.
 */
export function workflows({ time }: SchemaDialect): string {
  return `
ALTER TABLE threads ADD COLUMN workflow TEXT;
ALTER TABLE threads ADD COLUMN facts TEXT;
CREATE TABLE thread_tracks (
  thread_id  TEXT NOT NULL,
  partner    TEXT NOT NULL,
  state      TEXT NOT NULL,
  entered_at ${time} NOT NULL,
  due_at     ${time},
  expires_at ${time},
  expires_to TEXT,
  closed_at  ${time},
  PRIMARY KEY (thread_id, partner)
);
CREATE INDEX thread_tracks_partner ON thread_tracks (partner, closed_at);
CREATE TABLE thread_transitions (
  thread_id  TEXT NOT NULL,
  message_id TEXT NOT NULL,
  partner    TEXT NOT NULL,
  type       TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state   TEXT NOT NULL,
  by_role    TEXT NOT NULL CHECK (by_role IN ('requester', 'recipient')),
  at         ${time} NOT NULL,
  late       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (thread_id, message_id, partner)
);
INSERT INTO thread_tracks (thread_id, partner, state, entered_at, due_at, expires_at, expires_to, closed_at)
  SELECT thread_id, partner, status, COALESCE(closed_at, opened_at),
    CASE WHEN status = 'open' THEN due_at END, NULL, NULL, closed_at
  FROM threads;
INSERT INTO thread_transitions (thread_id, message_id, partner, type, from_state, to_state, by_role, at, late)
  SELECT thread_id, request_id, partner, type, '', 'open', 'requester', opened_at, 0 FROM threads;
INSERT INTO thread_transitions (thread_id, message_id, partner, type, from_state, to_state, by_role, at, late)
  SELECT thread_id, reply_id, partner,
    CASE type WHEN 'assistance-request' THEN 'assistance-reply' WHEN 'consultation' THEN 'consultation-reply' ELSE type END,
    'open', 'closed', 'recipient', closed_at,
    CASE WHEN closed_at > due_at THEN 1 ELSE 0 END
  FROM threads WHERE status = 'closed' AND reply_id IS NOT NULL AND closed_at IS NOT NULL;
`;
}

/**
 * Case files (issue 20): uploads of local systems, the files of each message (`side` out: `jti` is the
 * message id and `iss` empty; in: the sender and its message id), the recipient's transfer jobs, the
 * local deliveries held until a message's files have arrived whole, and the files receipts a sender
 * received. Bytes are in the blob store, never here.
 */
export function caseFiles({ time }: SchemaDialect): string {
  return `
CREATE TABLE uploads (
  id              TEXT PRIMARY KEY,
  local_system    TEXT NOT NULL,
  name            TEXT NOT NULL,
  declared_type   TEXT,
  expected_digest TEXT,
  length          ${time} NOT NULL,
  algorithm       TEXT NOT NULL CHECK (algorithm IN ('SHA-256', 'SM3')),
  offset_bytes    ${time} NOT NULL DEFAULT 0,
  expires_at      ${time} NOT NULL,
  created_at      ${time} NOT NULL,
  completed_at    ${time},
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
  size       ${time} NOT NULL,
  digest     TEXT NOT NULL,
  state      TEXT NOT NULL CHECK (state IN ('pending', 'arrived', 'refused')),
  bytes      ${time} NOT NULL DEFAULT 0,
  error      TEXT,
  updated_at ${time} NOT NULL,
  PRIMARY KEY (side, iss, jti, idx)
);
CREATE INDEX message_files_digest ON message_files (digest);
CREATE TABLE file_fetches (
  iss             TEXT NOT NULL,
  jti             TEXT NOT NULL,
  fetch_id        TEXT NOT NULL UNIQUE,
  status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'retry', 'done', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at ${time},
  lease_owner     TEXT,
  lease_token     TEXT,
  lease_until     ${time},
  last_error      TEXT,
  receipt_token   TEXT,
  receipt_sha256  TEXT,
  created_at      ${time} NOT NULL,
  updated_at      ${time} NOT NULL,
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
  created_at   ${time} NOT NULL,
  PRIMARY KEY (iss, jti, local_system)
);
CREATE TABLE files_receipts (
  message_id  TEXT NOT NULL,
  recipient   TEXT NOT NULL,
  token       TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('arrived', 'refused')),
  files       TEXT NOT NULL,
  issued_at   ${time} NOT NULL,
  received_at ${time} NOT NULL,
  PRIMARY KEY (message_id, recipient)
);
`;
}

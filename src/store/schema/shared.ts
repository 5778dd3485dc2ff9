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

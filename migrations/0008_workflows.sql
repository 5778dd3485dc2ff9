-- Migration 8: workflows. Generated from src/store/schema/sqlite.ts by
-- scripts/write-d1-migrations.ts; do not edit.
ALTER TABLE threads ADD COLUMN workflow TEXT;
ALTER TABLE threads ADD COLUMN facts TEXT;
CREATE TABLE thread_tracks (
  thread_id  TEXT NOT NULL,
  partner    TEXT NOT NULL,
  state      TEXT NOT NULL,
  entered_at INTEGER NOT NULL,
  due_at     INTEGER,
  expires_at INTEGER,
  expires_to TEXT,
  closed_at  INTEGER,
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
  at         INTEGER NOT NULL,
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

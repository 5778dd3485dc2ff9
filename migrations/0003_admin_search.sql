-- Migration 3: admin-search. Generated from src/store/schema/sqlite.ts by
-- scripts/write-d1-migrations.ts; do not edit.
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

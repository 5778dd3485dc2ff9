-- Migration 5: case-number-column. Generated from src/store/schema/sqlite.ts by
-- scripts/write-d1-migrations.ts; do not edit.
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

-- Migration 4: traceparent. Generated from src/store/schema/sqlite.ts by
-- scripts/write-d1-migrations.ts; do not edit.
-- The W3C traceparent of the hop that stored the message, sent on to the next hop.
ALTER TABLE outbound_messages ADD COLUMN traceparent TEXT;
ALTER TABLE inbound_messages ADD COLUMN traceparent TEXT;

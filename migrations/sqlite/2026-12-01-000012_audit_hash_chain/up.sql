-- Each audit row carries the hash of the row before it and its own hash over its content and
-- that link (`audit::chain`), so a row changed, removed or slipped in is found by
-- `liaison audit verify`. Rows written before this migration have neither: the chain starts
-- at the first row that has them.
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;

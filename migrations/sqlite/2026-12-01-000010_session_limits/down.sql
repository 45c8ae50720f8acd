ALTER TABLE sessions DROP COLUMN ended_reason;

-- REPLACE and INSERT OR REPLACE delete the row they collide with without firing a DELETE
-- trigger (recursive triggers are off by default), so an append-only table also refuses an
-- insert whose id is taken. The server turns recursive triggers on as well.
CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events
WHEN EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER timeline_entries_no_replace BEFORE INSERT ON timeline_entries
WHEN EXISTS (SELECT 1 FROM timeline_entries WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'timeline_entries is append-only');
END;

DROP TRIGGER report_includes_frozen_delete;
CREATE TRIGGER report_includes_frozen_delete BEFORE DELETE ON report_includes
WHEN (SELECT status FROM reports WHERE id = OLD.report_id) = 'final'
BEGIN SELECT RAISE(ABORT, 'a final report cannot be changed'); END;
DROP TRIGGER report_addenda_signed_delete;
CREATE TRIGGER report_addenda_signed_delete BEFORE DELETE ON report_addenda
WHEN OLD.signed_off_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed addendum cannot be changed'); END;
DROP TRIGGER report_sections_frozen_delete;
CREATE TRIGGER report_sections_frozen_delete BEFORE DELETE ON report_sections
WHEN (SELECT status FROM reports WHERE id = OLD.report_id) = 'final'
BEGIN SELECT RAISE(ABORT, 'a final report cannot be changed'); END;
DROP TRIGGER reports_final_kept;
CREATE TRIGGER reports_final_kept BEFORE DELETE ON reports
WHEN OLD.status = 'final'
BEGIN SELECT RAISE(ABORT, 'a final report cannot be changed'); END;
DROP TRIGGER timeline_entries_no_delete;
CREATE TRIGGER timeline_entries_no_delete BEFORE DELETE ON timeline_entries
BEGIN SELECT RAISE(ABORT, 'timeline_entries is append-only'); END;
DROP TRIGGER audit_events_no_delete;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
DROP TABLE destroyed_audit_links;
DROP TABLE destroyed_people;
DROP TABLE record_destructions;
DROP TABLE legal_holds;
DROP TABLE retention_decisions;
DROP TABLE person_retention;
ALTER TABLE people DROP COLUMN died_on;

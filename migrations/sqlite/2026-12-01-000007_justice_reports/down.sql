DROP TRIGGER reports_final_frozen;
CREATE TRIGGER reports_final_frozen BEFORE UPDATE ON reports
WHEN OLD.status = 'final'
BEGIN
    SELECT RAISE(ABORT, 'a final report cannot be changed');
END;
DROP TABLE report_links;
DROP TABLE report_waivers;
DROP TABLE report_includes;
ALTER TABLE shares DROP COLUMN outbox_id;
ALTER TABLE report_sections DROP COLUMN answers;

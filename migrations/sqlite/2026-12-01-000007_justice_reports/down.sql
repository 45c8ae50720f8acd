DROP TABLE report_links;
DROP TABLE report_waivers;
DROP TABLE report_includes;
ALTER TABLE shares DROP COLUMN outbox_id;
ALTER TABLE report_sections DROP COLUMN answers;

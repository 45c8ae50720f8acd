DROP TABLE report_links;
DROP TABLE report_waivers;
DROP TABLE report_includes;
DROP FUNCTION report_includes_refuse_final_change();
DROP FUNCTION report_waivers_refuse_change();
ALTER TABLE shares DROP COLUMN outbox_id;
ALTER TABLE report_sections DROP COLUMN answers;

CREATE OR REPLACE FUNCTION reports_refuse_final_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.status = 'final' THEN
        RAISE EXCEPTION 'a final report cannot be changed';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TABLE report_links;
DROP TABLE report_waivers;
DROP TABLE report_includes;
DROP FUNCTION report_includes_refuse_final_change();
DROP FUNCTION report_waivers_refuse_change();
ALTER TABLE shares DROP COLUMN outbox_id;
ALTER TABLE report_sections DROP COLUMN answers;

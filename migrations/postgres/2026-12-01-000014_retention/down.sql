CREATE OR REPLACE FUNCTION report_includes_refuse_final_change() RETURNS trigger AS $$
DECLARE
    owner TEXT;
BEGIN
    IF TG_OP = 'INSERT' THEN owner := NEW.report_id; ELSE owner := OLD.report_id; END IF;
    IF (SELECT status FROM reports WHERE id = owner) = 'final' THEN
        RAISE EXCEPTION 'a final report cannot be changed';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION report_addenda_refuse_signed_change() RETURNS trigger AS $$
BEGIN
    IF OLD.signed_off_at IS NOT NULL THEN
        RAISE EXCEPTION 'a signed addendum cannot be changed';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION report_sections_refuse_final_change() RETURNS trigger AS $$
DECLARE
    owner TEXT;
BEGIN
    IF TG_OP = 'INSERT' THEN owner := NEW.report_id; ELSE owner := OLD.report_id; END IF;
    IF (SELECT status FROM reports WHERE id = owner) = 'final' THEN
        RAISE EXCEPTION 'a final report cannot be changed';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP FUNCTION report_of_destroyed(TEXT);

CREATE OR REPLACE FUNCTION reports_refuse_final_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status = 'final'
        AND (NEW.id, NEW.kind, NEW.subject_type, NEW.subject_id, NEW.team_id, NEW.status,
             NEW.created_by, NEW.created_at, NEW.updated_at, NEW.signed_off_by, NEW.signed_off_at)
            IS NOT DISTINCT FROM
            (OLD.id, OLD.kind, OLD.subject_type, OLD.subject_id, OLD.team_id, OLD.status,
             OLD.created_by, OLD.created_at, OLD.updated_at, OLD.signed_off_by, OLD.signed_off_at)
    THEN
        RETURN NEW;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.status = 'final' THEN
        RAISE EXCEPTION 'a final report cannot be changed';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION timeline_entries_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'timeline_entries is append-only';
END;
$$ LANGUAGE plpgsql;

DROP FUNCTION destroy_audit_rows(TEXT);

CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$ LANGUAGE plpgsql;

DROP TABLE destroyed_audit_links;
DROP TABLE destroyed_people;
DROP FUNCTION destroyed_people_not_held();
DROP TABLE record_destructions;
DROP FUNCTION retention_append_only();
DROP TABLE legal_holds;
DROP TABLE retention_decisions;
DROP TABLE person_retention;
ALTER TABLE people DROP COLUMN died_on;

-- Retention under the NHS Records Management Code of Practice (decision 0020): each person's
-- retention class and review date, computed daily; appraisal decisions and legal holds; and
-- a permanent tombstone for each record destroyed.
ALTER TABLE people ADD COLUMN died_on TEXT;

CREATE TABLE person_retention (
    person_id TEXT PRIMARY KEY REFERENCES people(id),
    class TEXT NOT NULL,
    -- The day the last episode, MHTR case or referral ended; NULL while one is open.
    last_contact_on TEXT,
    -- When the record is due for appraisal: the rules' date, or a later one an appraisal set.
    review_on TEXT,
    preserved BOOLEAN NOT NULL DEFAULT FALSE,
    computed_on TEXT NOT NULL
);
CREATE INDEX person_retention_due ON person_retention(review_on);
CREATE INDEX person_retention_computed ON person_retention(computed_on);

CREATE TABLE retention_decisions (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    decision TEXT NOT NULL,
    reason TEXT NOT NULL,
    new_review_on TEXT,
    decided_by TEXT NOT NULL REFERENCES users(id),
    decided_at BIGINT NOT NULL
);
CREATE INDEX retention_decisions_person ON retention_decisions(person_id, decided_at);

CREATE TABLE legal_holds (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    reason TEXT NOT NULL,
    placed_by TEXT NOT NULL REFERENCES users(id),
    placed_at BIGINT NOT NULL,
    lifted_by TEXT REFERENCES users(id),
    lifted_at BIGINT,
    lift_reason TEXT
);
CREATE INDEX legal_holds_person ON legal_holds(person_id, lifted_at);

-- The tombstone: what was destroyed, under which rule, by whose decision, and a hash of the
-- list of rows removed. Never changed or removed.
CREATE TABLE record_destructions (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    class TEXT NOT NULL,
    last_contact_on TEXT,
    review_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    approved_by TEXT NOT NULL REFERENCES users(id),
    destroyed_at BIGINT NOT NULL,
    rows_removed BIGINT NOT NULL,
    list_hash TEXT NOT NULL
);
CREATE INDEX record_destructions_at ON record_destructions(destroyed_at);

-- Every person id a destruction removed (the record and any duplicates merged into it). The
-- append-only tables let a row go only when its person is listed here.
CREATE TABLE destroyed_people (
    person_id TEXT PRIMARY KEY,
    destruction_id TEXT NOT NULL REFERENCES record_destructions(id)
);

-- The hash-chain links of audit rows removed with a record, so the chain still verifies
-- across the gap (their content is gone; their links are not).
CREATE TABLE destroyed_audit_links (
    audit_id BIGINT PRIMARY KEY,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    destruction_id TEXT NOT NULL REFERENCES record_destructions(id)
);

CREATE FUNCTION retention_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER record_destructions_kept BEFORE UPDATE OR DELETE ON record_destructions
    FOR EACH ROW EXECUTE FUNCTION retention_append_only();
CREATE TRIGGER record_destructions_no_truncate BEFORE TRUNCATE ON record_destructions
    FOR EACH STATEMENT EXECUTE FUNCTION retention_append_only();
CREATE TRIGGER destroyed_people_kept BEFORE UPDATE OR DELETE ON destroyed_people
    FOR EACH ROW EXECUTE FUNCTION retention_append_only();
CREATE TRIGGER destroyed_people_no_truncate BEFORE TRUNCATE ON destroyed_people
    FOR EACH STATEMENT EXECUTE FUNCTION retention_append_only();
CREATE TRIGGER destroyed_audit_links_kept BEFORE UPDATE OR DELETE ON destroyed_audit_links
    FOR EACH ROW EXECUTE FUNCTION retention_append_only();
CREATE TRIGGER destroyed_audit_links_no_truncate BEFORE TRUNCATE ON destroyed_audit_links
    FOR EACH STATEMENT EXECUTE FUNCTION retention_append_only();

-- A legal hold blocks destruction in the database too.
CREATE FUNCTION destroyed_people_not_held() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM legal_holds WHERE person_id = NEW.person_id AND lifted_at IS NULL) THEN
        RAISE EXCEPTION 'a record under legal hold cannot be destroyed';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER destroyed_people_not_held BEFORE INSERT ON destroyed_people
    FOR EACH ROW EXECUTE FUNCTION destroyed_people_not_held();

-- The append-only and frozen tables let a destroyed person's rows go, and nothing else.
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM destroyed_people WHERE person_id = OLD.person_id) THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$ LANGUAGE plpgsql;

-- The server's role may not delete audit rows at all: it removes a destroyed record's
-- through this function, which runs as the owner and removes nothing else.
CREATE FUNCTION destroy_audit_rows(destroyed TEXT) RETURNS BIGINT
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    removed BIGINT;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM destroyed_people WHERE person_id = destroyed) THEN
        RAISE EXCEPTION 'only a destroyed record''s audit rows may be removed';
    END IF;
    DELETE FROM audit_events WHERE person_id = destroyed;
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END;
$$;

CREATE OR REPLACE FUNCTION timeline_entries_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM destroyed_people d JOIN episodes e ON e.person_id = d.person_id
                   WHERE e.id = OLD.episode_id) THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'timeline_entries is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION reports_refuse_final_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM destroyed_people WHERE person_id = OLD.person_id) THEN
            RETURN OLD;
        END IF;
    END IF;
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

-- A report's sections, addenda and included identifiers: deleted with a destroyed record.
CREATE FUNCTION report_of_destroyed(report TEXT) RETURNS BOOLEAN AS $$
    SELECT EXISTS (SELECT 1 FROM destroyed_people d JOIN reports r ON r.person_id = d.person_id
                   WHERE r.id = report);
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION report_sections_refuse_final_change() RETURNS trigger AS $$
DECLARE
    owner TEXT;
BEGIN
    IF TG_OP = 'DELETE' AND report_of_destroyed(OLD.report_id) THEN RETURN OLD; END IF;
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
    IF TG_OP = 'DELETE' AND report_of_destroyed(OLD.report_id) THEN RETURN OLD; END IF;
    IF OLD.signed_off_at IS NOT NULL THEN
        RAISE EXCEPTION 'a signed addendum cannot be changed';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION report_includes_refuse_final_change() RETURNS trigger AS $$
DECLARE
    owner TEXT;
BEGIN
    IF TG_OP = 'DELETE' AND report_of_destroyed(OLD.report_id) THEN RETURN OLD; END IF;
    IF TG_OP = 'INSERT' THEN owner := NEW.report_id; ELSE owner := OLD.report_id; END IF;
    IF (SELECT status FROM reports WHERE id = owner) = 'final' THEN
        RAISE EXCEPTION 'a final report cannot be changed';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

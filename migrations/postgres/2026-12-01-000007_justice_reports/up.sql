-- L&D reports to police, the CPS, court and probation (issue 12, decision 0015).

-- A section's structured answers (choices and short fields), as a JSON object of field code
-- to text or list of codes; the section's body stays its free text.
ALTER TABLE report_sections ADD COLUMN answers TEXT NOT NULL DEFAULT '{}';

-- Identifiers outside a report kind's allow-list, included by the author with a reason.
CREATE TABLE report_includes (
    report_id TEXT NOT NULL REFERENCES reports(id),
    field TEXT NOT NULL,
    reason TEXT NOT NULL,
    included_by TEXT NOT NULL REFERENCES users(id),
    included_at BIGINT NOT NULL,
    PRIMARY KEY (report_id, field)
);

-- Quality checklist items the signer waived at sign-off, with the reason.
CREATE TABLE report_waivers (
    report_id TEXT NOT NULL REFERENCES reports(id),
    item TEXT NOT NULL,
    reason TEXT NOT NULL,
    waived_by TEXT NOT NULL REFERENCES users(id),
    waived_at BIGINT NOT NULL,
    PRIMARY KEY (report_id, item)
);

-- A single-use, expiring link to one version of a report, sent to a standard address.
-- Only the token's hash is kept.
CREATE TABLE report_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    report_id TEXT NOT NULL REFERENCES reports(id),
    version INTEGER NOT NULL,
    email TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX report_links_report ON report_links(report_id);

-- A person's reports, for their record page.
CREATE INDEX reports_person ON reports(person_id, created_at);

-- The outbox message that carries a share, so a withdrawal of consent can stop it unsent.
ALTER TABLE shares ADD COLUMN outbox_id TEXT REFERENCES outbox(id);

-- A final report's included identifiers cannot change; a waiver is never changed.
CREATE FUNCTION report_includes_refuse_final_change() RETURNS trigger AS $$
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

CREATE TRIGGER report_includes_frozen BEFORE INSERT OR DELETE ON report_includes
    FOR EACH ROW EXECUTE FUNCTION report_includes_refuse_final_change();

CREATE FUNCTION report_waivers_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a waiver cannot be changed';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER report_waivers_kept BEFORE UPDATE ON report_waivers
    FOR EACH ROW EXECUTE FUNCTION report_waivers_refuse_change();

-- A final report's content stays frozen, but whose record it hangs on follows a merge of
-- duplicate person records (and its undo): only person_id may change.
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

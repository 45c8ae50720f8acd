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

-- A final report's included identifiers cannot change.
CREATE TRIGGER report_includes_frozen_insert BEFORE INSERT ON report_includes
WHEN (SELECT status FROM reports WHERE id = NEW.report_id) = 'final'
BEGIN
    SELECT RAISE(ABORT, 'a final report cannot be changed');
END;

CREATE TRIGGER report_includes_frozen_delete BEFORE DELETE ON report_includes
WHEN (SELECT status FROM reports WHERE id = OLD.report_id) = 'final'
BEGIN
    SELECT RAISE(ABORT, 'a final report cannot be changed');
END;

CREATE TRIGGER report_waivers_kept BEFORE UPDATE ON report_waivers
BEGIN
    SELECT RAISE(ABORT, 'a waiver cannot be changed');
END;

-- A final report's content stays frozen, but whose record it hangs on follows a merge of
-- duplicate person records (and its undo): only person_id may change.
DROP TRIGGER reports_final_frozen;
CREATE TRIGGER reports_final_frozen BEFORE UPDATE ON reports
WHEN OLD.status = 'final' AND (
    NEW.id IS NOT OLD.id OR NEW.kind IS NOT OLD.kind OR NEW.subject_type IS NOT OLD.subject_type
    OR NEW.subject_id IS NOT OLD.subject_id OR NEW.team_id IS NOT OLD.team_id
    OR NEW.status IS NOT OLD.status OR NEW.created_by IS NOT OLD.created_by
    OR NEW.created_at IS NOT OLD.created_at OR NEW.updated_at IS NOT OLD.updated_at
    OR NEW.signed_off_by IS NOT OLD.signed_off_by OR NEW.signed_off_at IS NOT OLD.signed_off_at
)
BEGIN
    SELECT RAISE(ABORT, 'a final report cannot be changed');
END;

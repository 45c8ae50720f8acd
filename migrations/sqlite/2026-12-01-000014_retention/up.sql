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

CREATE TRIGGER record_destructions_kept_update BEFORE UPDATE ON record_destructions
BEGIN SELECT RAISE(ABORT, 'record_destructions is append-only'); END;
CREATE TRIGGER record_destructions_kept_delete BEFORE DELETE ON record_destructions
BEGIN SELECT RAISE(ABORT, 'record_destructions is append-only'); END;
CREATE TRIGGER destroyed_people_kept_update BEFORE UPDATE ON destroyed_people
BEGIN SELECT RAISE(ABORT, 'destroyed_people is append-only'); END;
CREATE TRIGGER destroyed_people_kept_delete BEFORE DELETE ON destroyed_people
BEGIN SELECT RAISE(ABORT, 'destroyed_people is append-only'); END;
CREATE TRIGGER destroyed_audit_links_kept_update BEFORE UPDATE ON destroyed_audit_links
BEGIN SELECT RAISE(ABORT, 'destroyed_audit_links is append-only'); END;
CREATE TRIGGER destroyed_audit_links_kept_delete BEFORE DELETE ON destroyed_audit_links
BEGIN SELECT RAISE(ABORT, 'destroyed_audit_links is append-only'); END;

-- A legal hold blocks destruction in the database too.
CREATE TRIGGER destroyed_people_not_held BEFORE INSERT ON destroyed_people
WHEN EXISTS (SELECT 1 FROM legal_holds WHERE person_id = NEW.person_id AND lifted_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'a record under legal hold cannot be destroyed'); END;

-- The append-only and frozen tables let a destroyed person's rows go, and nothing else.
DROP TRIGGER audit_events_no_delete;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
WHEN NOT EXISTS (SELECT 1 FROM destroyed_people WHERE person_id = OLD.person_id)
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;

DROP TRIGGER timeline_entries_no_delete;
CREATE TRIGGER timeline_entries_no_delete BEFORE DELETE ON timeline_entries
WHEN NOT EXISTS (SELECT 1 FROM destroyed_people d JOIN episodes e ON e.person_id = d.person_id WHERE e.id = OLD.episode_id)
BEGIN SELECT RAISE(ABORT, 'timeline_entries is append-only'); END;

DROP TRIGGER reports_final_kept;
CREATE TRIGGER reports_final_kept BEFORE DELETE ON reports
WHEN OLD.status = 'final' AND NOT EXISTS (SELECT 1 FROM destroyed_people WHERE person_id = OLD.person_id)
BEGIN SELECT RAISE(ABORT, 'a final report cannot be changed'); END;

DROP TRIGGER report_sections_frozen_delete;
CREATE TRIGGER report_sections_frozen_delete BEFORE DELETE ON report_sections
WHEN (SELECT status FROM reports WHERE id = OLD.report_id) = 'final'
    AND NOT EXISTS (SELECT 1 FROM destroyed_people d JOIN reports r ON r.person_id = d.person_id WHERE r.id = OLD.report_id)
BEGIN SELECT RAISE(ABORT, 'a final report cannot be changed'); END;

DROP TRIGGER report_addenda_signed_delete;
CREATE TRIGGER report_addenda_signed_delete BEFORE DELETE ON report_addenda
WHEN OLD.signed_off_at IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM destroyed_people d JOIN reports r ON r.person_id = d.person_id WHERE r.id = OLD.report_id)
BEGIN SELECT RAISE(ABORT, 'a signed addendum cannot be changed'); END;

DROP TRIGGER report_includes_frozen_delete;
CREATE TRIGGER report_includes_frozen_delete BEFORE DELETE ON report_includes
WHEN (SELECT status FROM reports WHERE id = OLD.report_id) = 'final'
    AND NOT EXISTS (SELECT 1 FROM destroyed_people d JOIN reports r ON r.person_id = d.person_id WHERE r.id = OLD.report_id)
BEGIN SELECT RAISE(ABORT, 'a final report cannot be changed'); END;

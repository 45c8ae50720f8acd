-- The MHTR pathway after eligibility (issue 5): external referrers, the suitability
-- assessment and consent, secondary care negotiation, court hearings, treatment, compliance,
-- and reports with sign-off, freezing and addenda (built to serve L&D court reports too).

-- Facts of the case that have one current value, filled in as it moves along.
ALTER TABLE mhtr_cases ADD COLUMN referral_reason TEXT;
-- For referrals from outside the app, entered by the practitioner (the referrer is told of
-- a decline by email when an address is given).
ALTER TABLE mhtr_cases ADD COLUMN referrer_name TEXT;
ALTER TABLE mhtr_cases ADD COLUMN referrer_organisation TEXT;
ALTER TABLE mhtr_cases ADD COLUMN referrer_email TEXT;
ALTER TABLE mhtr_cases ADD COLUMN referrer_phone TEXT;
-- The proposed treatment: a TREATMENT_TYPES code, the number of sessions, who treats.
ALTER TABLE mhtr_cases ADD COLUMN treatment_type TEXT;
ALTER TABLE mhtr_cases ADD COLUMN planned_sessions INTEGER;
ALTER TABLE mhtr_cases ADD COLUMN treating_team TEXT;
-- A NEGOTIATION_OUTCOMES code.
ALTER TABLE mhtr_cases ADD COLUMN negotiation_outcome TEXT;

-- The suitability assessment: one row a section, its fields as a JSON object of text.
CREATE TABLE mhtr_assessment_sections (
    case_id TEXT NOT NULL REFERENCES mhtr_cases(id),
    section TEXT NOT NULL,
    content TEXT NOT NULL,
    complete BOOLEAN NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, section)
);

-- Consent to an MHTR: given, declined or withdrawn, each recorded with her capacity and a
-- witness. The newest row is the current position.
CREATE TABLE mhtr_consents (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES mhtr_cases(id),
    decision TEXT NOT NULL,
    -- 'YYYY-MM-DD'.
    decided_on TEXT NOT NULL,
    capacity_note TEXT NOT NULL,
    witness TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX mhtr_consents_case ON mhtr_consents(case_id, recorded_at);

-- Contacts with secondary care teams (from the partner directory) about a pathway.
CREATE TABLE mhtr_negotiation_contacts (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES mhtr_cases(id),
    service_id TEXT NOT NULL REFERENCES partner_services(id),
    clinician TEXT NOT NULL,
    contacted_on TEXT NOT NULL,
    -- A CONTACT_METHODS code.
    method TEXT NOT NULL,
    agreed TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX mhtr_negotiation_contacts_case ON mhtr_negotiation_contacts(case_id, contacted_on);

-- The consultant clinical psychologist's review of the proposed pathway.
CREATE TABLE mhtr_psychology_reviews (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES mhtr_cases(id),
    reviewer_id TEXT NOT NULL REFERENCES users(id),
    reviewed_on TEXT NOT NULL,
    decision TEXT NOT NULL,
    notes TEXT,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX mhtr_psychology_reviews_case ON mhtr_psychology_reviews(case_id, recorded_at);

-- What the court did at each hearing: a COURT_OUTCOMES code; an adjournment names the new date.
CREATE TABLE mhtr_hearings (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES mhtr_cases(id),
    heard_on TEXT NOT NULL,
    outcome TEXT NOT NULL,
    adjourned_to TEXT,
    notes TEXT,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX mhtr_hearings_case ON mhtr_hearings(case_id, heard_on);

-- The order the court made with an MHTR (one per case), and how treatment under it ended.
CREATE TABLE mhtr_orders (
    case_id TEXT PRIMARY KEY NOT NULL REFERENCES mhtr_cases(id),
    -- 'YYYY-MM-DD'.
    sentenced_on TEXT NOT NULL,
    -- An ORDER_TYPES code, and the requirement's length in months.
    order_type TEXT NOT NULL,
    requirement_months INTEGER NOT NULL,
    -- The probation responsible officer, who is told of non-attendance.
    responsible_officer TEXT NOT NULL,
    responsible_officer_email TEXT NOT NULL,
    treating_practitioner TEXT NOT NULL,
    completion_outcome TEXT,
    completed_at BIGINT,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at BIGINT NOT NULL
);

-- Treatment sessions, planned then marked with an ATTENDANCE code (and a reason when missed).
CREATE TABLE mhtr_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES mhtr_cases(id),
    planned_on TEXT NOT NULL,
    attendance TEXT,
    reason TEXT,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX mhtr_sessions_case ON mhtr_sessions(case_id, planned_on);

-- Outcome measures (an OUTCOME_MEASURES code) at the start and end of treatment.
CREATE TABLE mhtr_measures (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES mhtr_cases(id),
    measure TEXT NOT NULL,
    -- 'start' or 'end'.
    phase TEXT NOT NULL,
    score INTEGER NOT NULL,
    taken_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX mhtr_measures_case ON mhtr_measures(case_id, measure, phase);

-- Liaison with a Women's Centre during treatment.
CREATE TABLE mhtr_centre_contacts (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES mhtr_cases(id),
    centre TEXT NOT NULL,
    contacted_on TEXT NOT NULL,
    method TEXT NOT NULL,
    notes TEXT,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX mhtr_centre_contacts_case ON mhtr_centre_contacts(case_id, contacted_on);

-- Compliance events during the order (a COMPLIANCE_EVENTS code); a report of
-- non-attendance to the responsible officer names its outbox message.
CREATE TABLE mhtr_compliance_events (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES mhtr_cases(id),
    kind TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    notes TEXT,
    outbox_id TEXT REFERENCES outbox(id),
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX mhtr_compliance_events_case ON mhtr_compliance_events(case_id, occurred_on);

-- Reports written for a court or probation about one subject (an MHTR case now, an L&D
-- episode later). Drafts are edited; sign-off makes the report final and frozen; later
-- changes are addenda, each signed off in turn. Version 1 is the signed-off report, each
-- signed addendum adds one.
CREATE TABLE reports (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people(id),
    team_id TEXT NOT NULL REFERENCES teams(id),
    -- 'draft' or 'final'.
    status TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    signed_off_by TEXT REFERENCES users(id),
    signed_off_at BIGINT
);
CREATE INDEX reports_subject ON reports(subject_type, subject_id);

CREATE TABLE report_sections (
    report_id TEXT NOT NULL REFERENCES reports(id),
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (report_id, code)
);

CREATE TABLE report_addenda (
    id TEXT PRIMARY KEY NOT NULL,
    report_id TEXT NOT NULL REFERENCES reports(id),
    body TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    -- Set at sign-off, with the version it makes.
    version INTEGER,
    signed_off_by TEXT REFERENCES users(id),
    signed_off_at BIGINT,
    UNIQUE (report_id, version)
);
CREATE INDEX report_addenda_report ON report_addenda(report_id, created_at);

-- Each time a version of a report was sent, and the outbox message that carries it.
CREATE TABLE report_sends (
    id TEXT PRIMARY KEY NOT NULL,
    report_id TEXT NOT NULL REFERENCES reports(id),
    version INTEGER NOT NULL,
    recipient TEXT NOT NULL,
    outbox_id TEXT NOT NULL REFERENCES outbox(id),
    sent_by TEXT NOT NULL REFERENCES users(id),
    sent_at BIGINT NOT NULL
);
CREATE INDEX report_sends_report ON report_sends(report_id, sent_at);

-- A final report cannot be changed through any path, and neither can a signed addendum.
CREATE FUNCTION reports_refuse_final_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.status = 'final' THEN
        RAISE EXCEPTION 'a final report cannot be changed';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reports_final_frozen BEFORE UPDATE OR DELETE ON reports
    FOR EACH ROW EXECUTE FUNCTION reports_refuse_final_change();

CREATE FUNCTION report_sections_refuse_final_change() RETURNS trigger AS $$
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

CREATE TRIGGER report_sections_frozen BEFORE INSERT OR UPDATE OR DELETE ON report_sections
    FOR EACH ROW EXECUTE FUNCTION report_sections_refuse_final_change();

CREATE FUNCTION report_addenda_refuse_signed_change() RETURNS trigger AS $$
BEGIN
    IF OLD.signed_off_at IS NOT NULL THEN
        RAISE EXCEPTION 'a signed addendum cannot be changed';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER report_addenda_signed BEFORE UPDATE OR DELETE ON report_addenda
    FOR EACH ROW EXECUTE FUNCTION report_addenda_refuse_signed_change();

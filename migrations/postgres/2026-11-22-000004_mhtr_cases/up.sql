-- MHTR cases: one per referral accepted into the pathway, and the timestamped log of every
-- transition (DOMAIN.md §2).

CREATE TABLE mhtr_cases (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES people(id),
    team_id TEXT NOT NULL REFERENCES teams(id),
    -- The intake referral it was opened from; absent for cases opened another way.
    referral_id TEXT UNIQUE REFERENCES mhtr_referrals(id),
    -- An MhtrStatus code.
    status TEXT NOT NULL,
    -- A REFERRAL_SOURCES code.
    referral_source TEXT NOT NULL,
    court TEXT,
    -- 'YYYY-MM-DD'.
    next_hearing TEXT,
    -- A DEADLINE_KINDS code.
    deadline_kind TEXT NOT NULL,
    -- 'YYYY-MM-DD': when the suitability report must reach probation.
    report_due TEXT,
    -- An ELIGIBILITY_OUTCOMES code, and the screen's reasons one a line.
    eligibility_outcome TEXT,
    eligibility_reasons TEXT,
    -- An EXIT_REASONS code once closed early.
    exit_reason TEXT,
    exit_note TEXT,
    accepted_at BIGINT NOT NULL,
    eligibility_at BIGINT,
    closed_at BIGINT,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX mhtr_cases_team ON mhtr_cases(team_id, status);
CREATE INDEX mhtr_cases_person ON mhtr_cases(person_id);

CREATE TABLE mhtr_case_events (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES mhtr_cases(id),
    at BIGINT NOT NULL,
    author_id TEXT NOT NULL REFERENCES users(id),
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    note TEXT
);
CREATE INDEX mhtr_case_events_case ON mhtr_case_events(case_id, at);

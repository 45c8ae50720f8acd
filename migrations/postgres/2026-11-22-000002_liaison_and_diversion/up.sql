-- Liaison & Diversion: sites, shifts, people, episodes, screening, assessment, timeline, handover.
-- Timestamps are UTC Unix milliseconds; dates of birth are ISO 'YYYY-MM-DD' text.

CREATE TABLE sites (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams(id),
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    -- Local opening hours as 'HH:MM'; both NULL means open 24 hours.
    opens_at TEXT,
    closes_at TEXT,
    target_minutes INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX sites_team ON sites(team_id);

CREATE TABLE shifts (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    contact_phone TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    ended_at BIGINT
);
CREATE INDEX shifts_user ON shifts(user_id, ended_at);

CREATE TABLE shift_sites (
    shift_id TEXT NOT NULL REFERENCES shifts(id),
    site_id TEXT NOT NULL REFERENCES sites(id),
    PRIMARY KEY (shift_id, site_id)
);
CREATE INDEX shift_sites_site ON shift_sites(site_id);

CREATE TABLE people (
    id TEXT PRIMARY KEY NOT NULL,
    nhs_number TEXT,
    pnc_id TEXT,
    cro_number TEXT,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    -- Normalised keys for tolerant search (case, accents, hyphens, apostrophes).
    given_key TEXT NOT NULL,
    family_key TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    sex TEXT,
    gender_identity TEXT,
    ethnic_category TEXT,
    preferred_language TEXT,
    interpreter_needed BOOLEAN NOT NULL DEFAULT FALSE,
    gp_practice TEXT,
    created_by TEXT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX people_nhs_number ON people(nhs_number);
CREATE INDEX people_pnc_id ON people(pnc_id);
CREATE INDEX people_family_dob ON people(family_key, date_of_birth);
CREATE INDEX people_given_dob ON people(given_key, date_of_birth);
CREATE INDEX people_dob ON people(date_of_birth);

CREATE TABLE episodes (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES people(id),
    site_id TEXT NOT NULL REFERENCES sites(id),
    team_id TEXT NOT NULL REFERENCES teams(id),
    status TEXT NOT NULL,
    youth BOOLEAN NOT NULL,
    alert_at BIGINT NOT NULL,
    reference TEXT,
    offence TEXT,
    arrest_or_listing_at BIGINT,
    referral_source TEXT NOT NULL,
    concern TEXT NOT NULL,
    voluntary_attendance BOOLEAN NOT NULL DEFAULT FALSE,
    location TEXT,
    allocated_to TEXT REFERENCES users(id),
    urgent BOOLEAN NOT NULL DEFAULT FALSE,
    risk_to_self BOOLEAN NOT NULL DEFAULT FALSE,
    risk_to_others BOOLEAN NOT NULL DEFAULT FALSE,
    risk_from_others BOOLEAN NOT NULL DEFAULT FALSE,
    safeguarding BOOLEAN NOT NULL DEFAULT FALSE,
    screening_started_at BIGINT,
    screened_at BIGINT,
    assessment_started_at BIGINT,
    assessed_at BIGINT,
    closed_at BIGINT,
    closure_outcome TEXT,
    closure_note TEXT,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX episodes_site_closed ON episodes(site_id, closed_at);
CREATE INDEX episodes_person ON episodes(person_id, alert_at);
CREATE INDEX episodes_team ON episodes(team_id, alert_at);

CREATE TABLE screenings (
    episode_id TEXT PRIMARY KEY NOT NULL REFERENCES episodes(id),
    consent TEXT NOT NULL,
    vulnerabilities TEXT NOT NULL,
    presenting_concerns TEXT NOT NULL,
    outcome TEXT NOT NULL,
    completed_by TEXT NOT NULL REFERENCES users(id),
    completed_at BIGINT NOT NULL
);

CREATE TABLE appropriate_adults (
    episode_id TEXT PRIMARY KEY NOT NULL REFERENCES episodes(id),
    name TEXT NOT NULL,
    relationship TEXT NOT NULL,
    phone TEXT NOT NULL,
    present BOOLEAN NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at BIGINT NOT NULL
);

CREATE TABLE assessment_sections (
    episode_id TEXT NOT NULL REFERENCES episodes(id),
    section TEXT NOT NULL,
    -- The section's fields as a JSON object of text values.
    content TEXT NOT NULL,
    complete BOOLEAN NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (episode_id, section)
);

CREATE TABLE timeline_entries (
    id TEXT PRIMARY KEY NOT NULL,
    episode_id TEXT NOT NULL REFERENCES episodes(id),
    at BIGINT NOT NULL,
    author_id TEXT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    corrects_id TEXT REFERENCES timeline_entries(id)
);
CREATE INDEX timeline_entries_episode ON timeline_entries(episode_id, at);


CREATE FUNCTION timeline_entries_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'timeline_entries is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER timeline_entries_no_change BEFORE UPDATE OR DELETE ON timeline_entries
    FOR EACH ROW EXECUTE FUNCTION timeline_entries_append_only();

CREATE TRIGGER timeline_entries_no_truncate BEFORE TRUNCATE ON timeline_entries
    FOR EACH STATEMENT EXECUTE FUNCTION timeline_entries_append_only();

CREATE TABLE handovers (
    id TEXT PRIMARY KEY NOT NULL,
    episode_id TEXT NOT NULL REFERENCES episodes(id),
    site_id TEXT NOT NULL REFERENCES sites(id),
    shift_id TEXT REFERENCES shifts(id),
    note TEXT NOT NULL,
    written_by TEXT NOT NULL REFERENCES users(id),
    written_at BIGINT NOT NULL
);
CREATE INDEX handovers_episode ON handovers(episode_id, written_at);

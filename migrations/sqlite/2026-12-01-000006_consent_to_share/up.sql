-- Consent to share, per episode and by scope (docs/domain.md §9): never edited; a change or a
-- withdrawal is a new version. The latest version is the one that counts.
CREATE TABLE share_consents (
    id TEXT PRIMARY KEY NOT NULL,
    episode_id TEXT NOT NULL REFERENCES episodes(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    version INTEGER NOT NULL,
    method TEXT NOT NULL,
    witness TEXT,
    interpreter BOOLEAN NOT NULL,
    easy_read BOOLEAN NOT NULL,
    capacity TEXT NOT NULL,
    capacity_note TEXT,
    -- For a child: the parent, guardian or appropriate adult involved.
    guardian TEXT,
    withdrawal BOOLEAN NOT NULL DEFAULT 0,
    note TEXT,
    captured_by TEXT NOT NULL REFERENCES users(id),
    captured_at BIGINT NOT NULL,
    UNIQUE (episode_id, version)
);
CREATE INDEX share_consents_person ON share_consents(person_id);

CREATE TABLE share_consent_scopes (
    consent_id TEXT NOT NULL REFERENCES share_consents(id),
    scope TEXT NOT NULL,
    answer TEXT NOT NULL CHECK (answer IN ('granted', 'refused', 'not-asked')),
    limits TEXT,
    PRIMARY KEY (consent_id, scope)
);

-- Every document or message that left the service about a person, and on what basis.
CREATE TABLE shares (
    id TEXT PRIMARY KEY NOT NULL,
    episode_id TEXT NOT NULL REFERENCES episodes(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    scope TEXT NOT NULL,
    recipient TEXT NOT NULL,
    document TEXT NOT NULL,
    document_version INTEGER,
    content_hash TEXT NOT NULL,
    basis TEXT NOT NULL,
    basis_detail TEXT,
    consulted TEXT,
    caldicott_told BOOLEAN NOT NULL DEFAULT 0,
    consent_id TEXT REFERENCES share_consents(id),
    shared_by TEXT NOT NULL REFERENCES users(id),
    shared_at BIGINT NOT NULL,
    -- A share on any basis but consent waits for the IG lead.
    review_due BIGINT,
    review_outcome TEXT CHECK (review_outcome IN ('appropriate', 'follow-up')),
    review_note TEXT,
    reviewed_by TEXT REFERENCES users(id),
    reviewed_at BIGINT
);
CREATE INDEX shares_episode ON shares(episode_id, shared_at);
CREATE INDEX shares_person ON shares(person_id, shared_at);
CREATE INDEX shares_review ON shares(reviewed_at, review_due);

-- One access model (docs/decisions/0008): a team's kind is stored, never read from its name;
-- break-glass and self-claimed relationships are recorded for review by the information
-- governance lead; the audit trail names whose record was reached and on what basis.

ALTER TABLE teams ADD COLUMN kind TEXT NOT NULL DEFAULT 'ld' CHECK (kind IN ('ld', 'mhtr'));
-- Once, from the names the previous release read the kind from.
UPDATE teams SET kind = 'mhtr' WHERE lower(name) LIKE '%mhtr%';

CREATE INDEX mhtr_referrals_person ON mhtr_referrals(person_id);

CREATE TABLE access_overrides (
    id TEXT PRIMARY KEY NOT NULL,
    -- 'break-glass' (read-only, until expires_at) or 'self-claim' (a new episode for a person
    -- the team had no relationship with).
    kind TEXT NOT NULL CHECK (kind IN ('break-glass', 'self-claim')),
    user_id TEXT NOT NULL REFERENCES users(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    episode_id TEXT REFERENCES episodes(id),
    reason TEXT NOT NULL,
    note TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    review_due BIGINT NOT NULL,
    review_outcome TEXT CHECK (review_outcome IN ('appropriate', 'follow-up')),
    review_note TEXT,
    reviewed_by TEXT REFERENCES users(id),
    reviewed_at BIGINT
);
CREATE INDEX access_overrides_user_person ON access_overrides(user_id, person_id, expires_at);
CREATE INDEX access_overrides_person ON access_overrides(person_id, started_at);
CREATE INDEX access_overrides_review ON access_overrides(reviewed_at, review_due);

ALTER TABLE audit_events ADD COLUMN person_id TEXT;
ALTER TABLE audit_events ADD COLUMN basis TEXT;
CREATE INDEX audit_events_person ON audit_events(person_id, at);

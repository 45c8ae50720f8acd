-- Onward referrals: the partner directory, referrals with consent per recipient, the durable
-- email outbox, single-use answer links, safeguarding concerns and internal MHTR referrals.

CREATE TABLE partner_organisations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE partner_services (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES partner_organisations(id),
    name TEXT NOT NULL,
    service_type TEXT NOT NULL,
    phone TEXT,
    areas TEXT,
    -- 'YYYY-MM-DD' when the details were last checked with the service.
    last_verified TEXT,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX partner_services_organisation ON partner_services(organisation_id);
CREATE INDEX partner_services_type ON partner_services(service_type);

CREATE TABLE partner_addresses (
    id TEXT PRIMARY KEY NOT NULL,
    service_id TEXT NOT NULL REFERENCES partner_services(id),
    email TEXT NOT NULL
);
CREATE INDEX partner_addresses_service ON partner_addresses(service_id);

CREATE TABLE referrals (
    id TEXT PRIMARY KEY NOT NULL,
    episode_id TEXT NOT NULL REFERENCES episodes(id),
    service_id TEXT REFERENCES partner_services(id),
    -- 'partner', 'safeguarding' or 'mhtr' (internal, no email).
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    urgency TEXT NOT NULL,
    shared_information TEXT NOT NULL,
    consent TEXT NOT NULL,
    lawful_basis TEXT,
    consent_override TEXT,
    status TEXT NOT NULL,
    -- The form submission this referral came from: a double submit finds it again.
    submission_key TEXT NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    answer_reason TEXT,
    answer_message TEXT,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    answered_at BIGINT,
    last_chased_at BIGINT,
    chase_count INTEGER NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);
CREATE INDEX referrals_episode ON referrals(episode_id, created_at);
CREATE INDEX referrals_status ON referrals(status, sent_at);
CREATE UNIQUE INDEX referrals_submission ON referrals(submission_key, service_id);

CREATE TABLE answer_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    referral_id TEXT NOT NULL REFERENCES referrals(id),
    email TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX answer_links_referral ON answer_links(referral_id);

CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    referral_id TEXT REFERENCES referrals(id),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT,
    -- 'pending', 'sent' or 'failed'.
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_referral ON outbox(referral_id);

CREATE TABLE safeguarding_concerns (
    id TEXT PRIMARY KEY NOT NULL,
    episode_id TEXT NOT NULL REFERENCES episodes(id),
    kind TEXT NOT NULL,
    agency TEXT NOT NULL,
    raised_on TEXT NOT NULL,
    agency_reference TEXT,
    outcome TEXT,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX safeguarding_concerns_episode ON safeguarding_concerns(episode_id);

CREATE TABLE mhtr_referrals (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES people(id),
    episode_id TEXT REFERENCES episodes(id),
    team_id TEXT NOT NULL REFERENCES teams(id),
    reason TEXT NOT NULL,
    hearing_date TEXT,
    status TEXT NOT NULL,
    decline_reason TEXT,
    referred_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    decided_by TEXT REFERENCES users(id),
    decided_at BIGINT
);
CREATE INDEX mhtr_referrals_team ON mhtr_referrals(team_id, status, created_at);

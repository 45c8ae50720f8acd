-- The second factor (decision 0018): a TOTP secret per user (RFC 6238), its single-use
-- recovery codes, a sign-in waiting for its second step, and when a session last
-- confirmed the factor (re-authentication before break-glass and identifiable exports).
CREATE TABLE second_factors (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    -- Base32 of the 160-bit secret once enrolled; NULL until a code confirms it.
    secret TEXT,
    enrolled_at BIGINT,
    -- The last 30-second time step whose code was accepted: no code of that step or an
    -- earlier one is accepted again.
    last_step BIGINT,
    -- A secret shown on the enrolment page and not yet confirmed with a code.
    candidate TEXT,
    candidate_at BIGINT
);

CREATE TABLE recovery_codes (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    -- argon2id of the code: the code itself is shown once and never stored.
    code_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX recovery_codes_user ON recovery_codes(user_id, used_at);

-- A password accepted and the second step still to come ('code': enter a code; 'enrol':
-- set up a factor first). Not a session: it opens nothing but the second step's pages.
CREATE TABLE pending_sign_ins (
    -- SHA-256 of the cookie's token, as for sessions.
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    stage TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX pending_sign_ins_user ON pending_sign_ins(user_id);

ALTER TABLE sessions ADD COLUMN factor_checked_at BIGINT;

-- The conversation on a referral: a partner's request for more information and the team's
-- replies, oldest first. The referral keeps its latest answer; this keeps every turn.
CREATE TABLE referral_messages (
    id TEXT PRIMARY KEY NOT NULL,
    referral_id TEXT NOT NULL REFERENCES referrals(id),
    -- 'partner' (through an answer link) or 'team' (a practitioner's reply).
    sender TEXT NOT NULL CHECK (sender IN ('partner', 'team')),
    -- The partner's email address, or the practitioner's user id.
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX referral_messages_referral ON referral_messages(referral_id, created_at);

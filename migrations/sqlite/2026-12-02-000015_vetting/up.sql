-- Police vetting clearances of staff (decision 0019). A new clearance supersedes the user's
-- current one, which is kept, marked with when and by which row; nothing is overwritten.
CREATE TABLE vetting_clearances (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    level TEXT NOT NULL,
    reference TEXT NOT NULL,
    granted_on TEXT NOT NULL,
    -- The last day the clearance holds.
    expires_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at BIGINT NOT NULL,
    superseded_at BIGINT,
    superseded_by TEXT REFERENCES vetting_clearances(id)
);
-- At most one current clearance per user, and the sign-on check finds it by the user.
CREATE UNIQUE INDEX vetting_clearances_current ON vetting_clearances(user_id) WHERE superseded_at IS NULL;
CREATE INDEX vetting_clearances_history ON vetting_clearances(user_id, recorded_at);
-- The administrators' list: current clearances by expiry date.
CREATE INDEX vetting_clearances_expiry ON vetting_clearances(superseded_at, expires_on);

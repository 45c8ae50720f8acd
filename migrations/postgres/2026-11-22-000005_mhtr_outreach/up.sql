-- The MHTR outreach log: awareness sessions for secondary care clinicians, the judiciary
-- and others (issue 5 item 9).

CREATE TABLE mhtr_outreach (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams(id),
    -- 'YYYY-MM-DD'.
    held_on TEXT NOT NULL,
    -- An OUTREACH_AUDIENCES code.
    audience TEXT NOT NULL,
    organisation TEXT NOT NULL,
    attendees INTEGER NOT NULL,
    notes TEXT,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX mhtr_outreach_team ON mhtr_outreach(team_id, held_on);

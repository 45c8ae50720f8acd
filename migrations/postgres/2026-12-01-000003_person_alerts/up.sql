-- Alerts about a person that every team should see before meeting them (risk to staff,
-- MAPPA, an interpreter), each with a date by which someone must check it still applies.
-- The kinds are a list an administrator keeps; a kind is retired, never deleted, so old
-- alerts keep their name.
CREATE TABLE alert_kinds (
    code TEXT PRIMARY KEY NOT NULL,
    label TEXT NOT NULL UNIQUE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL
);
INSERT INTO alert_kinds (code, label, active, created_at) VALUES
    ('risk-to-staff', 'Risk to staff', TRUE, 0),
    ('mappa', 'MAPPA', TRUE, 0),
    ('interpreter', 'Interpreter needed', TRUE, 0),
    ('weapons', 'Weapons', TRUE, 0),
    ('medical', 'Medical condition', TRUE, 0),
    ('communication', 'Communication needs', TRUE, 0);

CREATE TABLE person_alerts (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES people(id),
    kind TEXT NOT NULL REFERENCES alert_kinds(code),
    note TEXT NOT NULL,
    -- YYYY-MM-DD, Europe/London: the alert is reviewed by this day.
    review_on TEXT NOT NULL,
    raised_by TEXT NOT NULL REFERENCES users(id),
    raised_at BIGINT NOT NULL,
    reviewed_by TEXT REFERENCES users(id),
    reviewed_at BIGINT,
    ended_by TEXT REFERENCES users(id),
    ended_at BIGINT,
    end_reason TEXT
);
-- The list, the episode and the person page read only a person's current alerts.
CREATE INDEX person_alerts_current ON person_alerts(person_id) WHERE ended_at IS NULL;

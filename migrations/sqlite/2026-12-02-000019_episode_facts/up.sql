-- One row of facts per episode for the dashboards and the return (decision 0021): what they
-- read from the episode, its person, screening, referrals and shares, kept in alert order so
-- a period is one contiguous range with no joins. Triggers queue the id of every episode a
-- write touches in fact_changes; the application recomputes the queued rows before it reads
-- and on a periodic pass, so the facts never trail a confirmed write when they are read.
CREATE TABLE episode_facts (
    episode_id TEXT NOT NULL,
    alert_at BIGINT NOT NULL,
    person_id TEXT NOT NULL,
    site_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    youth BOOLEAN NOT NULL,
    referral_source TEXT NOT NULL,
    voluntary_attendance BOOLEAN NOT NULL,
    cj_stage TEXT,
    not_seen_reason TEXT,
    screening_started_at BIGINT,
    screened_at BIGINT,
    assessed_at BIGINT,
    closed_at BIGINT,
    nhs_number TEXT,
    date_of_birth TEXT NOT NULL,
    sex TEXT,
    gender_identity TEXT,
    ethnic_category TEXT,
    -- The screening's codes, comma-separated; NULL when not screened.
    vulnerabilities TEXT,
    referrals INTEGER NOT NULL,
    referrals_attended INTEGER NOT NULL,
    referrals_not_attended INTEGER NOT NULL,
    first_referral_at BIGINT,
    -- The criminal justice scopes information went to, comma-separated.
    shared_with TEXT NOT NULL,
    PRIMARY KEY (alert_at, episode_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX episode_facts_episode ON episode_facts(episode_id);

CREATE TABLE fact_changes (episode_id TEXT PRIMARY KEY NOT NULL);

CREATE TRIGGER episodes_fact_insert AFTER INSERT ON episodes
BEGIN
    INSERT OR IGNORE INTO fact_changes (episode_id) VALUES (NEW.id);
END;
CREATE TRIGGER episodes_fact_update AFTER UPDATE ON episodes
BEGIN
    INSERT OR IGNORE INTO fact_changes (episode_id) VALUES (NEW.id);
END;

CREATE TRIGGER screenings_fact_insert AFTER INSERT ON screenings
BEGIN
    INSERT OR IGNORE INTO fact_changes (episode_id) VALUES (NEW.episode_id);
END;
CREATE TRIGGER screenings_fact_update AFTER UPDATE ON screenings
BEGIN
    INSERT OR IGNORE INTO fact_changes (episode_id) VALUES (NEW.episode_id);
END;
CREATE TRIGGER screenings_fact_delete AFTER DELETE ON screenings
BEGIN
    INSERT OR IGNORE INTO fact_changes (episode_id) VALUES (OLD.episode_id);
END;

CREATE TRIGGER referrals_fact_insert AFTER INSERT ON referrals
BEGIN
    INSERT OR IGNORE INTO fact_changes (episode_id) VALUES (NEW.episode_id);
END;
CREATE TRIGGER referrals_fact_update AFTER UPDATE ON referrals
BEGIN
    INSERT OR IGNORE INTO fact_changes (episode_id) VALUES (NEW.episode_id);
END;
CREATE TRIGGER referrals_fact_delete AFTER DELETE ON referrals
BEGIN
    INSERT OR IGNORE INTO fact_changes (episode_id) VALUES (OLD.episode_id);
END;

CREATE TRIGGER shares_fact_insert AFTER INSERT ON shares
BEGIN
    INSERT OR IGNORE INTO fact_changes (episode_id) VALUES (NEW.episode_id);
END;
CREATE TRIGGER shares_fact_update AFTER UPDATE ON shares
BEGIN
    INSERT OR IGNORE INTO fact_changes (episode_id) VALUES (NEW.episode_id);
END;
CREATE TRIGGER shares_fact_delete AFTER DELETE ON shares
BEGIN
    INSERT OR IGNORE INTO fact_changes (episode_id) VALUES (OLD.episode_id);
END;
-- An episode removed (retention) takes its facts and its place in the queue with it.
CREATE TRIGGER episodes_fact_delete AFTER DELETE ON episodes
BEGIN
    DELETE FROM episode_facts WHERE episode_id = OLD.id;
    DELETE FROM fact_changes WHERE episode_id = OLD.id;
END;
-- A person's details are facts of each of their episodes.
CREATE TRIGGER people_fact_update AFTER UPDATE ON people
BEGIN
    INSERT OR IGNORE INTO fact_changes (episode_id) SELECT id FROM episodes WHERE person_id = NEW.id;
END;

-- Every existing episode, for the first pass to build.
INSERT INTO fact_changes (episode_id) SELECT id FROM episodes;

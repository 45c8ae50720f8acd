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
);
CREATE UNIQUE INDEX episode_facts_episode ON episode_facts(episode_id);

CREATE TABLE fact_changes (episode_id TEXT PRIMARY KEY NOT NULL);

CREATE FUNCTION fact_change() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'people' THEN
        INSERT INTO fact_changes (episode_id) SELECT id FROM episodes WHERE person_id = NEW.id
            ON CONFLICT DO NOTHING;
    ELSIF TG_TABLE_NAME = 'episodes' AND TG_OP = 'DELETE' THEN
        -- An episode removed (retention) takes its facts and its place in the queue with it.
        DELETE FROM episode_facts WHERE episode_id = OLD.id;
        DELETE FROM fact_changes WHERE episode_id = OLD.id;
    ELSIF TG_TABLE_NAME = 'episodes' THEN
        INSERT INTO fact_changes (episode_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO fact_changes (episode_id) VALUES (OLD.episode_id) ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO fact_changes (episode_id) VALUES (NEW.episode_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER episodes_fact_change AFTER INSERT OR UPDATE OR DELETE ON episodes
    FOR EACH ROW EXECUTE FUNCTION fact_change();
CREATE TRIGGER screenings_fact_change AFTER INSERT OR UPDATE OR DELETE ON screenings
    FOR EACH ROW EXECUTE FUNCTION fact_change();
CREATE TRIGGER referrals_fact_change AFTER INSERT OR UPDATE OR DELETE ON referrals
    FOR EACH ROW EXECUTE FUNCTION fact_change();
CREATE TRIGGER shares_fact_change AFTER INSERT OR UPDATE OR DELETE ON shares
    FOR EACH ROW EXECUTE FUNCTION fact_change();
CREATE TRIGGER people_fact_change AFTER UPDATE ON people
    FOR EACH ROW EXECUTE FUNCTION fact_change();

-- Every existing episode, for the first pass to build.
INSERT INTO fact_changes (episode_id) SELECT id FROM episodes;

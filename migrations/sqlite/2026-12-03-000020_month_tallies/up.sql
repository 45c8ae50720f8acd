-- Monthly tallies beside the facts (decision 0021), so a year is read as a few thousand
-- tallies rather than hundreds of thousands of facts. Distinct people do not add across
-- months, so each tally keeps its people by a number that never changes: fact_people gives
-- each person one when their facts are first computed, and the facts carry it.
CREATE TABLE fact_people (
    number INTEGER PRIMARY KEY,
    person_id TEXT NOT NULL UNIQUE
);
CREATE TRIGGER people_fact_number_delete AFTER DELETE ON people
BEGIN
    DELETE FROM fact_people WHERE person_id = OLD.id;
END;

ALTER TABLE episode_facts ADD COLUMN person_number BIGINT NOT NULL DEFAULT 0;
-- Every fact recomputed, to number its person.
DELETE FROM episode_facts;
INSERT OR IGNORE INTO fact_changes (episode_id) SELECT id FROM episodes;

-- One tally a month, site, team and age group for all its episodes ('all', ''), and one for
-- each group of each equality dimension ('ethnic', 'gender', 'age'). `tally` holds the counts
-- as JSON; `people` each person's number and what they were counted as.
CREATE TABLE month_tallies (
    dimension TEXT NOT NULL,
    month_from BIGINT NOT NULL,
    site_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    youth BOOLEAN NOT NULL,
    grp TEXT NOT NULL,
    tally TEXT NOT NULL,
    people BLOB NOT NULL,
    PRIMARY KEY (dimension, month_from, site_id, team_id, youth, grp)
) WITHOUT ROWID;

-- The months whose tallies are complete: a change to any fact in a month removes its row
-- here, and the month is read from its facts until it is tallied again.
CREATE TABLE tallied_months (
    month_from BIGINT PRIMARY KEY NOT NULL,
    month_to BIGINT NOT NULL,
    -- The latest screening start counted: the tallies hold for a cut-off at or after it.
    latest_screening BIGINT
);
CREATE TRIGGER episode_facts_month_insert AFTER INSERT ON episode_facts
BEGIN
    DELETE FROM tallied_months WHERE month_from <= NEW.alert_at AND month_to > NEW.alert_at;
END;
CREATE TRIGGER episode_facts_month_update AFTER UPDATE ON episode_facts
BEGIN
    DELETE FROM tallied_months WHERE month_from <= OLD.alert_at AND month_to > OLD.alert_at;
    DELETE FROM tallied_months WHERE month_from <= NEW.alert_at AND month_to > NEW.alert_at;
END;
CREATE TRIGGER episode_facts_month_delete AFTER DELETE ON episode_facts
BEGIN
    DELETE FROM tallied_months WHERE month_from <= OLD.alert_at AND month_to > OLD.alert_at;
END;
-- A site's kind and target are counted into its tallies (point of contact, waits within
-- target): changing either tallies every month again.
CREATE TRIGGER sites_month_update AFTER UPDATE OF kind, target_minutes ON sites
BEGIN
    DELETE FROM tallied_months;
END;

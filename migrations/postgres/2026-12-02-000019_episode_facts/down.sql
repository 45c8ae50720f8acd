DROP TRIGGER episodes_fact_change ON episodes;
DROP TRIGGER screenings_fact_change ON screenings;
DROP TRIGGER referrals_fact_change ON referrals;
DROP TRIGGER shares_fact_change ON shares;
DROP TRIGGER people_fact_change ON people;
DROP FUNCTION fact_change();
DROP TABLE fact_changes;
DROP TABLE episode_facts;

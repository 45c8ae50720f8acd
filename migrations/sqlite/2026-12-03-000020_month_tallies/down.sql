DROP TRIGGER sites_month_update;
DROP TRIGGER episode_facts_month_insert;
DROP TRIGGER episode_facts_month_update;
DROP TRIGGER episode_facts_month_delete;
DROP TABLE tallied_months;
DROP TABLE month_tallies;
ALTER TABLE episode_facts DROP COLUMN person_number;
DROP TRIGGER people_fact_number_delete;
DROP TABLE fact_people;

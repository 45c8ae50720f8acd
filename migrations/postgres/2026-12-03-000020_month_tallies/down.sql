DROP TRIGGER sites_month_update ON sites;
DROP TRIGGER people_fact_number_delete ON people;
DROP TRIGGER episode_facts_month_change ON episode_facts;
DROP FUNCTION fact_month_change();
DROP TABLE tallied_months;
DROP TABLE month_tallies;
ALTER TABLE episode_facts DROP COLUMN person_number;
DROP TABLE fact_people;

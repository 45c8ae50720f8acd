DROP INDEX audit_events_person;
ALTER TABLE audit_events DROP COLUMN basis;
ALTER TABLE audit_events DROP COLUMN person_id;
DROP TABLE access_overrides;
DROP INDEX mhtr_referrals_person;
ALTER TABLE teams DROP COLUMN kind;

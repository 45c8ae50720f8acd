DROP TABLE audit_events;
DROP FUNCTION audit_events_append_only();
DROP TABLE settings;
DROP TABLE sessions;
DROP TABLE user_teams;
DROP TABLE users;
DROP TABLE teams;

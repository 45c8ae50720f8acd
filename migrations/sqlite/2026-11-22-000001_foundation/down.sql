DROP TABLE audit_events;
DROP TABLE settings;
DROP TABLE sessions;
DROP TABLE user_teams;
DROP TABLE users;
DROP TABLE teams;

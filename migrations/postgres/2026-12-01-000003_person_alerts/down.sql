DROP TABLE person_alerts;
DROP TABLE alert_kinds;

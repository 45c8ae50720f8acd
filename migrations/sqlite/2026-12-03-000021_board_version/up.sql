-- A number moved on, in the same transaction, by every change to what the live list shows
-- (decision 0024). The list's rendering is kept while the number and the minute stay the same.
CREATE TABLE board_version (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO board_version (id, version) VALUES (1, 0);

CREATE TRIGGER episodes_board_insert AFTER INSERT ON episodes
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER episodes_board_update AFTER UPDATE ON episodes
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER episodes_board_delete AFTER DELETE ON episodes
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER people_board_insert AFTER INSERT ON people
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER people_board_update AFTER UPDATE ON people
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER people_board_delete AFTER DELETE ON people
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER handovers_board_insert AFTER INSERT ON handovers
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER handovers_board_update AFTER UPDATE ON handovers
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER handovers_board_delete AFTER DELETE ON handovers
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER shifts_board_insert AFTER INSERT ON shifts
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER shifts_board_update AFTER UPDATE ON shifts
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER shifts_board_delete AFTER DELETE ON shifts
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER person_alerts_board_insert AFTER INSERT ON person_alerts
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER person_alerts_board_update AFTER UPDATE ON person_alerts
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER person_alerts_board_delete AFTER DELETE ON person_alerts
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER alert_kinds_board_insert AFTER INSERT ON alert_kinds
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER alert_kinds_board_update AFTER UPDATE ON alert_kinds
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER alert_kinds_board_delete AFTER DELETE ON alert_kinds
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER sites_board_insert AFTER INSERT ON sites
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER sites_board_update AFTER UPDATE ON sites
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER sites_board_delete AFTER DELETE ON sites
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
-- Only a name the list shows.
CREATE TRIGGER users_board_update AFTER UPDATE OF display_name ON users
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
-- The list flags a referral sent and unanswered for days. One sent just now is not overdue
-- (the list is worked out again each minute anyway), so the email worker's sends do not count;
-- a referral leaving or arriving as "sent" otherwise does.
CREATE TRIGGER referrals_board_insert AFTER INSERT ON referrals WHEN NEW.status = 'sent'
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER referrals_board_update AFTER UPDATE ON referrals WHEN OLD.status = 'sent'
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER referrals_board_delete AFTER DELETE ON referrals WHEN OLD.status = 'sent'
BEGIN
    UPDATE board_version SET version = version + 1 WHERE id = 1;
END;

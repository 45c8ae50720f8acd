-- A number moved on, in the same transaction, by every change to what the live list shows
-- (decision 0024). The list's rendering is kept while the number and the minute stay the same.
CREATE TABLE board_version (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO board_version (id, version) VALUES (1, 0);

-- Once a transaction, as it commits: the row is locked only for the moment before the commit,
-- by a transaction holding every other lock it will take, so writers cannot deadlock on it.
CREATE FUNCTION board_changed() RETURNS trigger AS $$
BEGIN
    IF current_setting('liaison.board_changed', true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('liaison.board_changed', 'yes', true);
        UPDATE board_version SET version = version + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER episodes_board_change AFTER INSERT OR UPDATE OR DELETE ON episodes
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION board_changed();
CREATE CONSTRAINT TRIGGER people_board_change AFTER INSERT OR UPDATE OR DELETE ON people
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION board_changed();
CREATE CONSTRAINT TRIGGER handovers_board_change AFTER INSERT OR UPDATE OR DELETE ON handovers
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION board_changed();
CREATE CONSTRAINT TRIGGER shifts_board_change AFTER INSERT OR UPDATE OR DELETE ON shifts
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION board_changed();
CREATE CONSTRAINT TRIGGER person_alerts_board_change AFTER INSERT OR UPDATE OR DELETE ON person_alerts
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION board_changed();
CREATE CONSTRAINT TRIGGER alert_kinds_board_change AFTER INSERT OR UPDATE OR DELETE ON alert_kinds
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION board_changed();
CREATE CONSTRAINT TRIGGER sites_board_change AFTER INSERT OR UPDATE OR DELETE ON sites
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION board_changed();
-- Only a name the list shows.
CREATE CONSTRAINT TRIGGER users_board_update AFTER UPDATE OF display_name ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION board_changed();
-- The list flags a referral sent and unanswered for days. One sent just now is not overdue
-- (the list is worked out again each minute anyway), so the email worker's sends do not count;
-- a referral leaving or arriving as "sent" otherwise does.
CREATE CONSTRAINT TRIGGER referrals_board_insert AFTER INSERT ON referrals
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (NEW.status = 'sent') EXECUTE FUNCTION board_changed();
CREATE CONSTRAINT TRIGGER referrals_board_update AFTER UPDATE ON referrals
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.status = 'sent') EXECUTE FUNCTION board_changed();
CREATE CONSTRAINT TRIGGER referrals_board_delete AFTER DELETE ON referrals
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.status = 'sent') EXECUTE FUNCTION board_changed();

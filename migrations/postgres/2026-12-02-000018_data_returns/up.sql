-- The quarterly commissioner return (decision 0021): a draft is validated, then locked. A
-- locked return keeps the exact file it produced, with its SHA-256, the generator's version
-- and row counts, so downloading it again gives the same bytes; a later correction is a new
-- version of the same quarter (a refresh), never a change to the locked one.
CREATE TABLE data_returns (
    id TEXT PRIMARY KEY NOT NULL,
    -- The calendar quarter, e.g. '2026-Q4'.
    quarter TEXT NOT NULL,
    version INTEGER NOT NULL,
    -- 'draft', 'validated' or 'locked'.
    status TEXT NOT NULL,
    suppression_rule TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    validated_by TEXT REFERENCES users(id),
    validated_at BIGINT,
    blocking INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    locked_by TEXT REFERENCES users(id),
    locked_at BIGINT,
    content TEXT,
    sha256 TEXT,
    generator_version TEXT,
    row_count INTEGER,
    episode_count INTEGER,
    UNIQUE (quarter, version)
);

CREATE FUNCTION data_returns_refuse_locked_change() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'locked' THEN
        RAISE EXCEPTION 'a locked return cannot be changed';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER data_returns_locked_frozen BEFORE UPDATE OR DELETE ON data_returns
    FOR EACH ROW EXECUTE FUNCTION data_returns_refuse_locked_change();

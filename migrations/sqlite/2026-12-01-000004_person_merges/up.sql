-- Merging a duplicate person into the record kept: the duplicate stays, marked merged (so its
-- old address redirects and its audit trail still names it), and every row that moved is
-- listed so the merge can be undone exactly.
ALTER TABLE people ADD COLUMN merged_into TEXT REFERENCES people(id);

CREATE TABLE person_merges (
    id TEXT PRIMARY KEY NOT NULL,
    kept_id TEXT NOT NULL REFERENCES people(id),
    merged_id TEXT NOT NULL REFERENCES people(id),
    reason TEXT NOT NULL,
    -- Identifiers the kept record lacked and took from the duplicate, comma-separated
    -- column names (nhs_number, pnc_id, cro_number); given back on undo.
    identifiers_moved TEXT NOT NULL,
    merged_by TEXT NOT NULL REFERENCES users(id),
    merged_at BIGINT NOT NULL,
    undone_by TEXT REFERENCES users(id),
    undone_at BIGINT,
    undo_reason TEXT
);
CREATE INDEX person_merges_kept ON person_merges(kept_id, merged_at);
CREATE INDEX person_merges_merged ON person_merges(merged_id);
CREATE INDEX person_merges_recent ON person_merges(merged_at);

CREATE TABLE person_merge_moves (
    merge_id TEXT NOT NULL REFERENCES person_merges(id),
    -- episodes, mhtr_referrals, mhtr_cases, reports, access_overrides or person_alerts.
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    PRIMARY KEY (merge_id, table_name, row_id)
);

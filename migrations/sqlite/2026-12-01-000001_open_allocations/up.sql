-- Releasing a practitioner's allocations at sign-off reads only their open episodes.
CREATE INDEX episodes_open_allocated ON episodes(allocated_to) WHERE closed_at IS NULL;

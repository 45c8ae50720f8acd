-- A practitioner records that the consultant clinical psychologist's review is awaited (she
-- alone records the review itself): who asked, when, and what for.
CREATE TABLE mhtr_review_requests (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES mhtr_cases(id),
    requested_by TEXT NOT NULL REFERENCES users(id),
    requested_at BIGINT NOT NULL,
    note TEXT
);
CREATE INDEX mhtr_review_requests_case ON mhtr_review_requests(case_id, requested_at);

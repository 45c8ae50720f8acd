-- Each form carries a one-time key; a POST seen before with the same key is not run again
-- but answered with where the first one led (issue 13). Kept a day.
CREATE TABLE request_keys (
    key TEXT PRIMARY KEY NOT NULL,
    created_at BIGINT NOT NULL,
    -- Where the first request's 303 led; empty while it is being handled.
    location TEXT
);
CREATE INDEX request_keys_created ON request_keys(created_at);

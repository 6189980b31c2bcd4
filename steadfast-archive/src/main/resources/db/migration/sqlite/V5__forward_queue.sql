-- Forwarding (issue 17): one durable queue per destination. An entry is inserted in the same
-- transaction that indexes the instance (or records a study's deletion), so nothing acknowledged
-- is missed by a crash. A node claims entries with a lease (claimed_by, lease_until); a dead
-- node's claims expire. Sent entries are deleted; after N refusals an entry turns 'dead' and
-- keeps the reason.
CREATE TABLE forward_queue (
    id               INTEGER PRIMARY KEY,
    destination      TEXT NOT NULL,
    kind             TEXT NOT NULL,
    study_uid        TEXT NOT NULL,
    series_uid       TEXT,
    sop_uid          TEXT,
    sop_class_uid    TEXT,
    transfer_syntax  TEXT,
    reason           TEXT,
    enqueued_at      BIGINT NOT NULL,
    state            TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    claimed_by       TEXT,
    lease_until      BIGINT,
    last_error       TEXT,
    last_failed_at   BIGINT
);
CREATE INDEX forward_queue_head_idx ON forward_queue (destination, state, id);
CREATE INDEX forward_queue_study_idx ON forward_queue (study_uid);

-- Per destination, shared by every node: paused or not, and the counters /metrics shows.
CREATE TABLE forward_destination (
    name           TEXT PRIMARY KEY,
    paused         INTEGER NOT NULL DEFAULT 0,
    sent           BIGINT NOT NULL DEFAULT 0,
    failed         BIGINT NOT NULL DEFAULT 0,
    dead_lettered  BIGINT NOT NULL DEFAULT 0
);

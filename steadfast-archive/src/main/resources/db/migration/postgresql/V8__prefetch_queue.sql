-- Prior-study prefetch at the edge (issue 17): one row per study this archive has seen. A study's
-- first instance inserts it 'waiting' in the transaction that indexes it, so a crash or kill -9
-- cannot lose the look-up; a prior fetched from the peer is inserted 'done' first, so its own
-- arrival starts no look-up. A worker claims a due row by moving next_attempt_at past its lease;
-- a dead node's claim comes back when that time passes. Done rows stay: they are how a study
-- is known as seen (one short row a study).
CREATE TABLE prefetch_queue (
    study_uid        TEXT PRIMARY KEY,
    patient_id       TEXT NOT NULL,
    state            TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    last_error       TEXT
);
CREATE INDEX prefetch_queue_due_idx ON prefetch_queue (state, next_attempt_at);

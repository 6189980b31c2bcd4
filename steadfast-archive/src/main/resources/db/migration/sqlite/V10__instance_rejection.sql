-- Imaging Object Change Management (issue 18): one row per instance a Key Object Selection
-- rejection note (PS3.16 CID 7011) rejected. The instance's index row moves here, so every query
-- and retrieve path (which read the instance table) no longer sees it; storage_key is NULL while
-- the rejected instance has not arrived (the note came first: it is hidden when it does).
-- files_deleted_at: for "Data Retention Policy Expired" (113039), when its files were deleted.
-- The row is also the tombstone that refuses a re-send and keeps reconcile from copying it back.
-- Expand-only: a new table.
CREATE TABLE instance_rejection (
    id                INTEGER PRIMARY KEY,
    sop_uid           TEXT NOT NULL UNIQUE,
    study_uid         TEXT NOT NULL,
    series_uid        TEXT NOT NULL,
    sop_class_uid     TEXT,
    reason_code       TEXT NOT NULL,
    reason_meaning    TEXT NOT NULL,
    note_sop_uid      TEXT NOT NULL,
    rejected_at       BIGINT NOT NULL,
    rejected_by       TEXT,
    storage_key       TEXT,
    size              BIGINT,
    sha256            TEXT,
    dataset_sha256    TEXT,
    received_at       BIGINT,
    files_deleted_at  BIGINT
);
CREATE INDEX instance_rejection_study_idx ON instance_rejection (study_uid);
-- scrub asks per object whether its key is a retention-expired rejection's
CREATE INDEX instance_rejection_key_idx ON instance_rejection (storage_key);

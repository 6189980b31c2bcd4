-- Every study deleted through the admin API: the durable audit record (who, when, why, which
-- UIDs; never patient data) and the tombstone that keeps scrub, repair and reindex from bringing
-- back a copy a storage target still held (it was down during the delete). A key under
-- key_prefix written before deleted_at and absent from the instance table is a deleted leftover.
CREATE TABLE study_deletion (
    id            INTEGER PRIMARY KEY,
    study_uid     TEXT NOT NULL,
    key_prefix    TEXT NOT NULL,
    deleted_at    BIGINT NOT NULL,
    completed_at  BIGINT,
    deleted_by    TEXT NOT NULL,
    reason        TEXT NOT NULL,
    series_uids   TEXT NOT NULL,
    sop_uids      TEXT NOT NULL,
    instances     BIGINT NOT NULL,
    bytes         BIGINT NOT NULL
);
CREATE INDEX study_deletion_prefix_idx ON study_deletion (key_prefix);
CREATE INDEX study_deletion_uid_idx ON study_deletion (study_uid);

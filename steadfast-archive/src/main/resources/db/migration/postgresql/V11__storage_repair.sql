-- Copies a storage target missed (it was down during the write) or holds damaged, recorded by the
-- node that found out (issue 15): a node that dies before repairing them leaves them here, and
-- another node's repair job takes them over. Expand-only: one new table.
CREATE TABLE storage_repair (
    target       TEXT NOT NULL,
    storage_key  TEXT NOT NULL,
    damaged      SMALLINT NOT NULL,
    node_id      TEXT NOT NULL,
    noted_at     BIGINT NOT NULL,
    PRIMARY KEY (target, storage_key)
);

-- Cluster membership and cluster-wide jobs (issue 15). Expand-only: two new tables. A SQLite index
-- has one node, but it runs the same membership and job code as a cluster on PostgreSQL.

CREATE TABLE cluster_node (
    node_id         TEXT PRIMARY KEY,
    version         TEXT NOT NULL,
    started_at      BIGINT NOT NULL,
    last_heartbeat  BIGINT NOT NULL,
    dicom_endpoint  TEXT,
    http_endpoint   TEXT,
    state           TEXT NOT NULL
);

-- db-scheduler's execution table. db-scheduler has no SQLite dialect; its generic JDBC one binds
-- timestamps with setTimestamp, which sqlite-jdbc stores as epoch milliseconds (INTEGER), and
-- booleans as 0/1, so the columns are declared with those affinities.
CREATE TABLE cluster_job (
    task_name             TEXT NOT NULL,
    task_instance         TEXT NOT NULL,
    task_data             BLOB,
    execution_time        INTEGER NOT NULL,
    picked                INTEGER NOT NULL,
    picked_by             TEXT,
    last_success          INTEGER,
    last_failure          INTEGER,
    consecutive_failures  INTEGER,
    last_heartbeat        INTEGER,
    version               INTEGER NOT NULL,
    priority              INTEGER,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX cluster_job_execution_time_idx ON cluster_job (execution_time);
CREATE INDEX cluster_job_last_heartbeat_idx ON cluster_job (last_heartbeat);

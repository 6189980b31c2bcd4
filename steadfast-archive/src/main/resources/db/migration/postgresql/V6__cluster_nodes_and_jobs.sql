-- Cluster membership and cluster-wide jobs (issue 15). Expand-only: two new tables, nothing an
-- older node reads is changed, so a node of the previous version keeps working beside a newer one.

-- One row per node that ever ran on this index; a row whose heartbeat is older than the node
-- timeout is shown as gone (never deleted here: it says which nodes existed and when they left).
CREATE TABLE cluster_node (
    node_id         TEXT PRIMARY KEY,
    version         TEXT NOT NULL,
    started_at      BIGINT NOT NULL,
    last_heartbeat  BIGINT NOT NULL,
    dicom_endpoint  TEXT,
    http_endpoint   TEXT,
    state           TEXT NOT NULL
);

-- db-scheduler's execution table (com.github.kagkarlsson:db-scheduler 16.x, its PostgreSQL DDL):
-- one row per scheduled execution, claimed with picked/picked_by/version and kept alive by
-- last_heartbeat, so a dead node's executions are found and run again elsewhere.
CREATE TABLE cluster_job (
    task_name             TEXT NOT NULL,
    task_instance         TEXT NOT NULL,
    task_data             BYTEA,
    execution_time        TIMESTAMP WITH TIME ZONE NOT NULL,
    picked                BOOLEAN NOT NULL,
    picked_by             TEXT,
    last_success          TIMESTAMP WITH TIME ZONE,
    last_failure          TIMESTAMP WITH TIME ZONE,
    consecutive_failures  INT,
    last_heartbeat        TIMESTAMP WITH TIME ZONE,
    version               BIGINT NOT NULL,
    priority              SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX cluster_job_execution_time_idx ON cluster_job (execution_time);
CREATE INDEX cluster_job_last_heartbeat_idx ON cluster_job (last_heartbeat);
CREATE INDEX cluster_job_priority_execution_time_idx ON cluster_job (priority DESC, execution_time ASC);

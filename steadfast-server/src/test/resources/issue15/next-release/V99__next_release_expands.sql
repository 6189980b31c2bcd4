-- What a next release's migration may do while nodes of this release still run (docs/DEPLOYMENT.md,
-- "Rolling upgrade"): expand only. Issue15MigrationTest applies it, then runs a node of this release.
ALTER TABLE instance ADD COLUMN received_by_node TEXT;
ALTER TABLE study ADD COLUMN archived_at BIGINT DEFAULT 0 NOT NULL;
CREATE TABLE node_heartbeat (node_id TEXT PRIMARY KEY, last_seen BIGINT NOT NULL);
CREATE INDEX instance_received_at_idx ON instance (received_at);

-- The workflow outbox's dead letters and paused destinations (issue 18): an entry a peer refused
-- workflow.max-attempts times gets dead_at (and keeps last_error as the reason) and no longer holds
-- its destination's queue; an operator queues it again through /api/workflow. A destination named
-- in workflow_destination with paused = 1 is not delivered to, by any node.
-- Expand-only: a nullable column and a new table.
ALTER TABLE workflow_outbox ADD COLUMN dead_at BIGINT;
CREATE TABLE workflow_destination (
    name     TEXT PRIMARY KEY,
    paused   INTEGER NOT NULL DEFAULT 0
);

-- When the archive last changed an MPPS's patient (HL7 A08/A40, a study's Patient ID corrected):
-- the modality's N-SET may then repeat the old patient values without being refused. Null: never.
ALTER TABLE mpps ADD COLUMN patient_updated_at BIGINT;

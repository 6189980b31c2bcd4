-- Issue 18 (MPPS SCP, MPPS forwarding, Instance Availability Notification). Expand-only: new
-- tables, nothing existing changes.

-- One row per Modality Performed Procedure Step (PS3.4 Annex F): its state, the whole attribute
-- set as last set (DICOM, explicit VR little endian, as instance metadata), the order and scheduled
-- step it was linked to (null: unscheduled), and where its availability notice stands
-- (ian_state: null while in progress or without instances, 'waiting' once completed until every
-- referenced instance is stored, 'notified' once the notice is queued).
CREATE TABLE mpps (
    sop_uid            TEXT PRIMARY KEY,
    status             TEXT NOT NULL,
    station_ae         TEXT,
    accession_number   TEXT,
    study_uid          TEXT,
    order_key          TEXT,
    step_id            TEXT,
    patient_id         TEXT,
    attributes         BLOB NOT NULL,
    ian_state          TEXT,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX mpps_ian_idx ON mpps (ian_state);

-- The instances a completed MPPS says it produced (Performed Series Sequence): what its
-- availability notice waits for.
CREATE TABLE mpps_instance (
    mpps_uid           TEXT NOT NULL,
    series_uid         TEXT,
    sop_uid            TEXT NOT NULL,
    sop_class_uid      TEXT,
    PRIMARY KEY (mpps_uid, sop_uid)
);
CREATE INDEX mpps_instance_sop_idx ON mpps_instance (sop_uid);

-- Durable, ordered deliveries of the workflow: MPPS N-CREATE/N-SET relayed to other AEs, IAN
-- N-CREATE to subscribers, procedure events to listeners in the node. Claimed with a lease
-- (claimed_by, lease_until) like the forwarding queue; delivered entries are deleted.
CREATE TABLE workflow_outbox (
    id                 INTEGER PRIMARY KEY,
    destination        TEXT NOT NULL,
    kind               TEXT NOT NULL,
    sop_uid            TEXT NOT NULL,
    payload            BLOB NOT NULL,
    enqueued_at        BIGINT NOT NULL,
    attempts           INTEGER NOT NULL DEFAULT 0,
    next_attempt_at    BIGINT NOT NULL,
    claimed_by         TEXT,
    lease_until        BIGINT,
    last_error         TEXT
);
CREATE INDEX workflow_outbox_head_idx ON workflow_outbox (destination, id);

-- An MPPS finds its worklist items by Scheduled Procedure Step ID, else by Accession Number.
CREATE INDEX worklist_item_step_idx ON worklist_item (step_id);
CREATE INDEX worklist_item_accession_idx ON worklist_item (accession_number);

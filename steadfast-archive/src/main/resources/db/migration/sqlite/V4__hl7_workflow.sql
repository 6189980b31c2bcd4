-- Issue 18 (HL7 orders, patient updates, modality worklist). Expand-only: new tables, nothing
-- existing changes.

-- Patient and visit data as the last ADT message gave it (the patient's index row, its studies'
-- metadata and its worklist items are updated from it as well).
CREATE TABLE hl7_patient (
    id                 INTEGER PRIMARY KEY,
    patient_id         TEXT NOT NULL,
    issuer             TEXT NOT NULL DEFAULT '',
    patient_name       TEXT,
    birth_date         TEXT,
    sex                TEXT,
    visit_number       TEXT,
    patient_class      TEXT,
    location           TEXT,
    updated_at         BIGINT NOT NULL,
    UNIQUE (patient_id, issuer)
);

-- One row per scheduled procedure step of an order (ORM^O01 / OMI^O23); the item is the whole
-- worklist answer (DICOM, explicit VR little endian, as instance metadata), the columns are
-- what the worklist query narrows on in SQL before matching every key on the item.
CREATE TABLE worklist_item (
    id                 INTEGER PRIMARY KEY,
    order_key          TEXT NOT NULL,
    step_id            TEXT NOT NULL,
    station_ae         TEXT,
    modality           TEXT,
    start_date         TEXT,
    start_time         TEXT,
    patient_id         TEXT NOT NULL DEFAULT '',
    issuer             TEXT NOT NULL DEFAULT '',
    accession_number   TEXT,
    item               BLOB NOT NULL,
    updated_at         BIGINT NOT NULL,
    UNIQUE (order_key, step_id)
);
CREATE INDEX worklist_item_patient_idx ON worklist_item (patient_id);
CREATE INDEX worklist_item_start_idx ON worklist_item (start_date, start_time);

-- HL7 messages that could not be processed, answered AE, kept with the reason for an operator.
CREATE TABLE hl7_dead_letter (
    id                 INTEGER PRIMARY KEY,
    received_at        BIGINT NOT NULL,
    message_type       TEXT,
    control_id         TEXT,
    reason             TEXT NOT NULL,
    message            TEXT NOT NULL
);

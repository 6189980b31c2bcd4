-- The four query/retrieve levels with the attributes C-FIND and QIDO match on as columns,
-- and a compact copy of each instance's header (everything but bulk data) for return keys.
-- Dates are DICOM text (YYYYMMDD), times normalised to HHMMSS.FFFFFF so text order is time order.

CREATE TABLE patient (
    id                 INTEGER PRIMARY KEY,
    patient_id         TEXT NOT NULL DEFAULT '',
    issuer             TEXT NOT NULL DEFAULT '',
    patient_name       TEXT,
    patient_name_norm  TEXT,
    birth_date         TEXT,
    sex                TEXT,
    -- who the patient is: PatientID and Issuer, or, for instances without a PatientID, their
    -- study (anonymous patients are never merged with each other)
    identity           TEXT NOT NULL UNIQUE
);
CREATE INDEX patient_id_idx ON patient (patient_id);
CREATE INDEX patient_name_norm_idx ON patient (patient_name_norm);

CREATE TABLE study (
    id                        INTEGER PRIMARY KEY,
    patient_fk                INTEGER NOT NULL REFERENCES patient (id),
    study_uid                 TEXT NOT NULL UNIQUE,
    study_date                TEXT,
    study_time                TEXT,
    accession_number          TEXT,
    study_id                  TEXT,
    referring_physician       TEXT,
    referring_physician_norm  TEXT,
    study_description         TEXT,
    modalities_in_study       TEXT
);
CREATE INDEX study_patient_idx ON study (patient_fk);
CREATE INDEX study_date_idx ON study (study_date, study_time);
CREATE INDEX study_accession_idx ON study (accession_number);

CREATE TABLE series (
    id                  INTEGER PRIMARY KEY,
    study_fk            INTEGER NOT NULL REFERENCES study (id),
    series_uid          TEXT NOT NULL UNIQUE,
    modality            TEXT,
    series_number       INTEGER,
    series_description  TEXT,
    body_part           TEXT
);
CREATE INDEX series_study_idx ON series (study_fk);
CREATE INDEX series_modality_idx ON series (modality);

CREATE TABLE instance (
    id               INTEGER PRIMARY KEY,
    series_fk        INTEGER NOT NULL REFERENCES series (id),
    sop_uid          TEXT NOT NULL UNIQUE,
    sop_class_uid    TEXT,
    instance_number  INTEGER,
    transfer_syntax  TEXT NOT NULL,
    storage_key      TEXT NOT NULL,
    size             BIGINT NOT NULL,
    sha256           TEXT NOT NULL,
    dataset_sha256   TEXT NOT NULL,
    received_at      BIGINT NOT NULL,
    calling_ae       TEXT,
    metadata         BLOB NOT NULL
);
CREATE INDEX instance_series_idx ON instance (series_fk);

-- Every replacement of stored bytes by a re-sent instance with different content.
CREATE TABLE instance_replacement (
    id               INTEGER PRIMARY KEY,
    sop_uid          TEXT NOT NULL,
    old_storage_key  TEXT NOT NULL,
    old_sha256       TEXT NOT NULL,
    new_storage_key  TEXT NOT NULL,
    new_sha256       TEXT NOT NULL,
    replaced_at      BIGINT NOT NULL,
    calling_ae       TEXT
);
CREATE INDEX instance_replacement_sop_idx ON instance_replacement (sop_uid);

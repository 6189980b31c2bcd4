-- Query latency on PostgreSQL (issue 8, docs/PERFORMANCE.md "Query latency on PostgreSQL (second session)").
--
-- The latest instance of a series/study/patient is found as MAX(id) per series: with (series_fk, id)
-- that is an index-only probe instead of reading every instance row of the entity. It replaces the
-- index on series_fk alone, which it covers. (SQLite needs nothing: its indexes end with the rowid.)
DROP INDEX instance_series_idx;
CREATE INDEX instance_series_idx ON instance (series_fk, id);

-- Case-insensitive name matching is a LIKE 'PREFIX%' on the folded name. A btree index in any
-- collation but "C" cannot serve a LIKE prefix, so it was a sequential scan of every patient;
-- text_pattern_ops can, and still serves the equality match.
DROP INDEX patient_name_norm_idx;
CREATE INDEX patient_name_norm_idx ON patient (patient_name_norm text_pattern_ops);

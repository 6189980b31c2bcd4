-- Issue 19, 2 million instances: the admin study list, newest arrivals first (its default), took each
-- study's latest arrival from every instance row, and the statistics summed every row's size: each
-- page view read the whole instance table. With this index each series' latest arrival is one index
-- probe, and the sizes are summed from the index (a fraction of the table's pages). Expand-only: one
-- index (built once at the upgrade: seconds at 2 million instances).
CREATE INDEX instance_series_received_idx ON instance (series_fk, received_at, size);

-- Issue 19, 2 million instances: the admin study list, newest arrivals first (its default), took each
-- study's latest arrival from every instance row (the whole table read on each page view). With each
-- series' latest arrival as an index probe it reads one index entry per series. Expand-only: one index
-- (built once at the upgrade: seconds at 2 million instances).
CREATE INDEX instance_series_received_idx ON instance (series_fk, received_at);

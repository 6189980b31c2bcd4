-- Whether an instance holds Pixel Data (7FE0,0010), seen at ingest (issue 16): WADO-RS metadata
-- points at pixel data only when there is some. Expand-only: rows indexed before stay NULL, and
-- the server reads the stored object for them (no reindex needed).
ALTER TABLE instance ADD COLUMN pixel_data SMALLINT;

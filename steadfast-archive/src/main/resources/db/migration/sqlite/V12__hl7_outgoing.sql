-- Issue 18, outgoing HL7: HL7 destinations use the forwarding queues (one ordered queue per
-- destination, leases, backoff, dead letters). An entry of kind 'HL7' carries the message to
-- send in this new column; ORU^R01 for a report is a 'STORE' entry, built from the stored
-- instance when it is sent. Expand-only: one nullable column.
ALTER TABLE forward_queue ADD COLUMN message TEXT;

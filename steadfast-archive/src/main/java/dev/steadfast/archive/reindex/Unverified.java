package dev.steadfast.archive.reindex;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.InstanceRecord;
import dev.steadfast.archive.ingest.StoredObjects;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageKey;

import java.io.IOException;
import java.io.InputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * Instances a header-only reindex indexed without reading their bytes: their data set checksum
 * (known only from a full read) holds {@link #MARK} instead, so no schema change is needed and
 * every node sees the same count. A scrub that finds a copy matching the index's checksum reads it
 * once more in full and records the real data set checksum, which ends the pending state; a copy
 * that does not match stays pending and is reported by the scrub as damaged or without a good copy.
 * Until then an identical re-send is not recognised as identical (the policy for a changed
 * version applies), which stores the same bytes again and is harmless.
 */
public final class Unverified {
    /** Stands in for the data set SHA-256 (never 64 hex digits, so never a real one). */
    public static final String MARK = "unverified-since-reindex";

    private Unverified() {}

    static StoredObjects.Parsed mark(StoredObjects.Parsed p) {
        InstanceRecord r = p.record();
        return new StoredObjects.Parsed(p.studyUid(), p.seriesUid(), new InstanceRecord(r.sopUid(), r.sopClassUid(),
                r.instanceNumber(), r.transferSyntax(), r.storageKey(), r.size(), r.sha256(), MARK, r.receivedAt(),
                r.callingAe(), r.metadata()), p.header());
    }

    public static boolean is(InstanceRecord r) {
        return MARK.equals(r.datasetSha256());
    }

    /** How many indexed instances still wait for a scrub to read their bytes. */
    public static long count(Index index) {
        return index.read(tx -> {
            try (PreparedStatement ps = tx.connection().prepareStatement(
                    "SELECT COUNT(*) FROM instance WHERE dataset_sha256 = ?")) {
                ps.setString(1, MARK);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * Verifies a pending instance from a copy the scrub found good: reads it in full and, when its
     * SHA-256 is the indexed one, records its data set checksum. Nothing happens for a row that is
     * not pending (the common case: one indexed lookup).
     *
     * @return true when the row was pending and is now verified
     */
    public static boolean verify(Index index, StorageKey key, Storage copy) throws IOException {
        String sop = sopOf(key);
        // By SOP Instance UID (unique, indexed) where the key names it: one lookup per scrubbed object.
        String where = " WHERE storage_key = ? AND dataset_sha256 = ?" + (sop == null ? "" : " AND sop_uid = ?");
        String sha = index.read(tx -> {
            try (PreparedStatement ps = tx.connection().prepareStatement("SELECT sha256 FROM instance" + where)) {
                ps.setString(1, key.path());
                ps.setString(2, MARK);
                if (sop != null) {
                    ps.setString(3, sop);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        if (sha == null) {
            return false;
        }
        StoredObjects.Parsed p;
        try (InputStream in = copy.open(key)) {
            p = StoredObjects.read(key, in, 0);
        }
        if (!sha.equals(p.record().sha256())) {
            return false; // changed since the scrub read it: stays pending
        }
        String datasetSha = p.record().datasetSha256();
        int n = index.write(tx -> {
            try (PreparedStatement ps = tx.connection().prepareStatement("UPDATE instance SET dataset_sha256 = ?" + where)) {
                ps.setString(1, datasetSha);
                ps.setString(2, key.path());
                ps.setString(3, MARK);
                if (sop != null) {
                    ps.setString(4, sop);
                }
                return ps.executeUpdate();
            }
        });
        return n > 0;
    }

    /** The SOP Instance UID a key names ({@code .../<uid>.dcm}), null for hashed keys. */
    private static String sopOf(StorageKey key) {
        String path = key.path();
        String last = path.substring(path.lastIndexOf('/') + 1);
        return !last.endsWith(".dcm") || last.startsWith("h-") ? null : last.substring(0, last.length() - 4);
    }
}

package dev.steadfast.archive.reindex;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
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
 * An instance arriving under a pending row's SOP Instance UID verifies it first ({@link #verifyNow}),
 * so an identical re-send is recognised as identical.
 */
public final class Unverified {
    /** Stands in for the data set SHA-256 (never 64 hex digits, so never a real one). */
    public static final String MARK = "unverified-since-reindex";

    private Unverified() {}

    static StoredObjects.Parsed mark(StoredObjects.Parsed p) {
        InstanceRecord r = p.record();
        return new StoredObjects.Parsed(p.studyUid(), p.seriesUid(), new InstanceRecord(r.sopUid(), r.sopClassUid(),
                r.instanceNumber(), r.transferSyntax(), r.storageKey(), r.size(), r.sha256(), MARK, r.receivedAt(),
                r.callingAe(), r.metadata(), r.pixelData()), p.header());
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

    /**
     * Verifies one pending instance now, because an instance with its SOP Instance UID is arriving
     * and the duplicate decision needs its data set checksum (issue 19: an identical re-send of a
     * reindexed instance is recognised as identical). Reads the stored object in full once; when it
     * matches the indexed checksum, records and returns its data set checksum. Empty when it does
     * not match or cannot be read: the arrival then meets the policy for a changed version, as
     * before, and the scrub reports the copy.
     */
    public static java.util.Optional<String> verifyNow(Index index, InstanceRecord pending, Storage storage) {
        StorageKey key = new StorageKey(pending.storageKey());
        StoredObjects.Parsed p;
        try (InputStream in = storage.open(key)) {
            p = StoredObjects.read(key, in, 0);
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
        if (pending.sha256() == null || !pending.sha256().equals(p.record().sha256())) {
            return java.util.Optional.empty();
        }
        String datasetSha = p.record().datasetSha256();
        try {
            index.write(tx -> {
                try (PreparedStatement ps = tx.connection().prepareStatement(
                        "UPDATE instance SET dataset_sha256 = ? WHERE sop_uid = ? AND dataset_sha256 = ?")) {
                    ps.setString(1, datasetSha);
                    ps.setString(2, pending.sopUid());
                    ps.setString(3, MARK);
                    return ps.executeUpdate();
                }
            });
        } catch (IndexException e) {
            // The decision needs only the checksum just read; the row stays pending for the scrub.
        }
        return java.util.Optional.of(datasetSha);
    }

    /** The SOP Instance UID a key names ({@code .../<uid>.dcm}), null for hashed keys. */
    private static String sopOf(StorageKey key) {
        String path = key.path();
        String last = path.substring(path.lastIndexOf('/') + 1);
        return !last.endsWith(".dcm") || last.startsWith("h-") ? null : last.substring(0, last.length() - 4);
    }
}

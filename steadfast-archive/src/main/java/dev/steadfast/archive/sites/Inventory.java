package dev.steadfast.archive.sites;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.Tx;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What this archive holds, as two sites compare it (issue 17, reconcile): per study and per series
 * the number of instances and a digest of their SOP Instance UIDs and data set SHA-256s, then the
 * instances themselves only where digests differ. Studies are paged by their UID (keyset paging,
 * one index range scan a page), so a site with millions of instances is compared a page at a time.
 *
 * <p>The digest covers the data set's SHA-256 ({@code dataset_sha256}), not the stored Part 10
 * object's: each site writes its own File Meta Information, so the same instance has different
 * file bytes on two sites but the same data set bytes. Lines are sorted in Java, never by the
 * database, so a SQLite site and a PostgreSQL site (whose collations differ) agree.
 */
public final class Inventory {
    /** Largest page of studies one call returns. */
    public static final int MAX_PAGE = 1000;

    private final Index index;

    public Inventory(Index index) {
        this.index = index;
    }

    /** One study: its instances, their digest, when the latest arrived (epoch ms), its patient. */
    public record StudyDigest(String studyUid, String patientId, long instances, String digest, long lastReceived) {
    }

    public record SeriesDigest(String seriesUid, long instances, String digest) {
    }

    /**
     * One instance.
     *
     * @param sha256        of the Part 10 object this site stores (what its WADO-RS sends)
     * @param datasetSha256 of the data set bytes (the same on every site)
     */
    public record Entry(String sopUid, String sha256, String datasetSha256, long size) {
    }

    /** A deleted study (the tombstone of the admin API's deletion table); {@code id} orders them. */
    public record Tombstone(long id, String studyUid, long deletedAt) {
    }

    /** The studies whose UID sorts after {@code after} (null: from the first), at most {@code limit}, in UID order. */
    public List<StudyDigest> studies(String after, int limit) {
        int n = Math.max(1, Math.min(limit, MAX_PAGE));
        return index.read(tx -> {
            List<String[]> page = new ArrayList<>(); // study_uid, patient_id
            try (PreparedStatement ps = tx.connection().prepareStatement("SELECT s.study_uid, p.patient_id FROM study s"
                    + " JOIN patient p ON p.id = s.patient_fk WHERE s.study_uid > ? ORDER BY s.study_uid LIMIT ?")) {
                ps.setString(1, after == null ? "" : after);
                ps.setInt(2, n);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        page.add(new String[]{rs.getString(1), rs.getString(2)});
                    }
                }
            }
            if (page.isEmpty()) {
                return List.of();
            }
            Map<String, StudyDigest> digests = new LinkedHashMap<>();
            // One range scan for the page (the same bounds and collation that just produced it), study by
            // study, so only one study's lines are held at a time, however many instances the page covers.
            try (PreparedStatement ps = tx.connection().prepareStatement("SELECT s.study_uid, i.sop_uid, i.dataset_sha256,"
                    + " i.received_at FROM instance i JOIN series se ON se.id = i.series_fk JOIN study s ON s.id = se.study_fk"
                    + " WHERE s.study_uid > ? AND s.study_uid <= ? ORDER BY s.study_uid")) {
                ps.setString(1, after == null ? "" : after);
                ps.setString(2, page.get(page.size() - 1)[0]);
                try (ResultSet rs = ps.executeQuery()) {
                    String current = null;
                    Digest d = null;
                    while (rs.next()) {
                        String study = rs.getString(1);
                        if (!study.equals(current)) {
                            if (current != null) {
                                digests.put(current, new StudyDigest(current, null, d.count(), d.hex(), d.lastReceived));
                            }
                            current = study;
                            d = new Digest();
                        }
                        d.add(rs.getString(2), rs.getString(3), rs.getLong(4));
                    }
                    if (current != null) {
                        digests.put(current, new StudyDigest(current, null, d.count(), d.hex(), d.lastReceived));
                    }
                }
            }
            List<StudyDigest> out = new ArrayList<>(page.size());
            for (String[] s : page) {
                StudyDigest d = digests.get(s[0]);
                Digest none = new Digest();
                out.add(d == null ? new StudyDigest(s[0], s[1], 0, none.hex(), 0)
                        : new StudyDigest(s[0], s[1], d.instances(), d.digest(), d.lastReceived()));
            }
            return out;
        });
    }

    /** The series of one study with their digests, in UID order; empty when the study is not here. */
    public List<SeriesDigest> series(String studyUid) {
        return index.read(tx -> {
            Map<String, Digest> digests = new TreeMap<>();
            try (PreparedStatement ps = tx.connection().prepareStatement("SELECT se.series_uid, i.sop_uid, i.dataset_sha256,"
                    + " i.received_at FROM series se JOIN study s ON s.id = se.study_fk LEFT JOIN instance i ON i.series_fk = se.id"
                    + " WHERE s.study_uid = ?")) {
                ps.setString(1, studyUid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Digest d = digests.computeIfAbsent(rs.getString(1), k -> new Digest());
                        if (rs.getString(2) != null) {
                            d.add(rs.getString(2), rs.getString(3), rs.getLong(4));
                        }
                    }
                }
            }
            List<SeriesDigest> out = new ArrayList<>();
            digests.forEach((uid, d) -> out.add(new SeriesDigest(uid, d.count(), d.hex())));
            return out;
        });
    }

    /** The instances of one series of one study, in SOP Instance UID order. */
    public List<Entry> instances(String studyUid, String seriesUid) {
        return index.read(tx -> {
            List<Entry> out = new ArrayList<>();
            try (PreparedStatement ps = tx.connection().prepareStatement("SELECT i.sop_uid, i.sha256, i.dataset_sha256, i.size"
                    + " FROM instance i JOIN series se ON se.id = i.series_fk JOIN study s ON s.id = se.study_fk"
                    + " WHERE s.study_uid = ? AND se.series_uid = ?")) {
                ps.setString(1, studyUid);
                ps.setString(2, seriesUid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                    }
                }
            }
            out.sort(java.util.Comparator.comparing(Entry::sopUid));
            return out;
        });
    }

    /**
     * The SOP Instance UIDs of a study that rejection notes rejected here (issue 18, IOCM): like
     * tombstones, reconcile neither copies them back here nor sends them to a peer that rejected them.
     */
    public java.util.Set<String> rejected(String studyUid) {
        return index.read(tx -> {
            java.util.Set<String> out = new java.util.TreeSet<>();
            try (PreparedStatement ps = tx.connection().prepareStatement(
                    "SELECT sop_uid FROM instance_rejection WHERE study_uid = ?")) {
                ps.setString(1, studyUid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /** Deletions recorded after {@code afterId}, oldest first, at most {@code limit}. */
    public List<Tombstone> tombstones(long afterId, int limit) {
        return index.read(tx -> tombstones(tx, afterId, Math.max(1, Math.min(limit, MAX_PAGE))));
    }

    private static List<Tombstone> tombstones(Tx tx, long afterId, int limit) throws SQLException {
        List<Tombstone> out = new ArrayList<>();
        try (PreparedStatement ps = tx.connection().prepareStatement(
                "SELECT id, study_uid, deleted_at FROM study_deletion WHERE id > ? ORDER BY id LIMIT ?")) {
            ps.setLong(1, afterId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Tombstone(rs.getLong(1), rs.getString(2), rs.getLong(3)));
                }
            }
        }
        return out;
    }

    /** The latest deletion time of a study here, or -1 when it was never deleted. */
    public long deletedAt(String studyUid) {
        return index.read(tx -> {
            try (PreparedStatement ps = tx.connection().prepareStatement("SELECT MAX(deleted_at) FROM study_deletion WHERE study_uid = ?")) {
                ps.setString(1, studyUid);
                try (ResultSet rs = ps.executeQuery()) {
                    long v = rs.next() ? rs.getLong(1) : -1;
                    return rs.wasNull() ? -1L : v;
                }
            }
        });
    }

    /** A study as the edge cache weighs it: when its latest instance arrived (epoch ms), its stored bytes. */
    public record StudyAge(String studyUid, long lastReceived, long bytes) {
    }

    /**
     * Every study, the longest untouched first (by its latest arrival). One aggregate over the
     * instances: meant for an edge node's cache, whose index is small.
     */
    public List<StudyAge> oldestFirst() {
        return index.read(tx -> {
            List<StudyAge> out = new ArrayList<>();
            try (PreparedStatement ps = tx.connection().prepareStatement("SELECT s.study_uid, MAX(i.received_at), SUM(i.size)"
                    + " FROM instance i JOIN series se ON se.id = i.series_fk JOIN study s ON s.id = se.study_fk"
                    + " GROUP BY s.study_uid ORDER BY 2, 1");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StudyAge(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                }
            }
            return out;
        });
    }

    /** Sorted "SOP UID, SHA-256" lines, hashed once complete. */
    private static final class Digest {
        private final TreeMap<String, String> lines = new TreeMap<>();
        long lastReceived;

        void add(String sop, String datasetSha256, long receivedAt) {
            lines.put(sop, datasetSha256);
            lastReceived = Math.max(lastReceived, receivedAt);
        }

        long count() {
            return lines.size();
        }

        String hex() {
            return digest(lines);
        }
    }

    /** The digest two sites compare: SHA-256 over "sopUid SP datasetSha256 LF" lines sorted by SOP UID. */
    public static String digest(java.util.SortedMap<String, String> sopToDatasetSha256) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sopToDatasetSha256.forEach((sop, sha) -> md.update((sop + " " + sha + "\n").getBytes(StandardCharsets.US_ASCII)));
        return HexFormat.of().formatHex(md.digest());
    }
}

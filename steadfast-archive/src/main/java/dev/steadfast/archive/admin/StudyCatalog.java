package dev.steadfast.archive.admin;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.Tx;
import dev.steadfast.archive.query.InformationModel;
import dev.steadfast.archive.query.QueryEngine;
import dev.steadfast.archive.query.QueryLevel;
import dev.steadfast.archive.query.QueryRequest;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Studies as an administrator sees them: matched by the archive's {@link QueryEngine} (the same
 * rules as C-FIND and QIDO-RS), then summed up from the index (series, instances, bytes, when
 * received), sorted and paged. With filters, sorting happens after matching, in memory; without
 * any (browsing the newest studies), the database sorts and pages.
 */
public final class StudyCatalog {
    private static final int CHUNK = 500;

    private final Index index;
    private final QueryEngine query;

    public StudyCatalog(Index index, QueryEngine query) {
        this.index = index;
        this.query = query;
    }

    public enum Sort { STUDY_DATE, RECEIVED }

    /**
     * One study.
     *
     * @param firstReceived epoch ms of its first instance's arrival
     * @param lastReceived  epoch ms of its latest instance's arrival (what {@link Sort#RECEIVED} sorts by)
     */
    public record StudySummary(String studyUid, String date, String time, String description, String accessionNumber,
                               List<String> modalities, int series, int instances, long bytes, long firstReceived,
                               long lastReceived) {
    }

    public record SeriesSummary(String seriesUid, Integer number, String modality, String description, String bodyPart,
                                int instances, long bytes, long lastReceived) {
    }

    public record StudyDetails(StudySummary study, List<SeriesSummary> series) {
    }

    /** One page of matches and how many matched in all. */
    public record Page(int total, List<StudySummary> studies) {
    }

    /**
     * @param filters matching keys at study level or above (PatientID, StudyDate range,
     *                ModalitiesInStudy, AccessionNumber, ...); no return keys needed
     */
    public Page list(Dataset filters, Sort sort, boolean descending, int offset, int limit) {
        if (filters.isEmpty()) {
            return index.read(tx -> everything(tx, sort, descending, offset, limit));
        }
        Dataset keys = new Dataset();
        for (var e : filters) {
            keys.put(e);
        }
        if (keys.get(Tag.StudyInstanceUID) == null) {
            keys.setNull(Tag.StudyInstanceUID, VR.UI);
        }
        List<String> uids = new ArrayList<>();
        query.query(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.STUDY, keys),
                ds -> uids.add(ds.getString(Tag.StudyInstanceUID)));
        List<StudySummary> all = new ArrayList<>(uids.size());
        for (int i = 0; i < uids.size(); i += CHUNK) {
            List<String> chunk = uids.subList(i, Math.min(uids.size(), i + CHUNK));
            all.addAll(index.read(tx -> summaries(tx, chunk)));
        }
        Comparator<StudySummary> order = switch (sort) {
            case STUDY_DATE -> Comparator.comparing((StudySummary s) -> s.date() == null ? "" : s.date())
                    .thenComparing(s -> s.time() == null ? "" : s.time());
            case RECEIVED -> Comparator.comparingLong(StudySummary::lastReceived);
        };
        order = order.thenComparing(StudySummary::studyUid);
        all.sort(descending ? order.reversed() : order);
        int from = Math.min(offset, all.size());
        int to = limit <= 0 ? all.size() : (int) Math.min(all.size(), (long) from + limit);
        return new Page(all.size(), List.copyOf(all.subList(from, to)));
    }

    public Optional<StudyDetails> study(String studyUid) {
        return index.read(tx -> {
            List<StudySummary> s = summaries(tx, List.of(studyUid));
            if (s.isEmpty()) {
                return Optional.empty();
            }
            List<SeriesSummary> series = new ArrayList<>();
            try (PreparedStatement ps = tx.connection().prepareStatement("SELECT se.series_uid, se.series_number,"
                    + " se.modality, se.series_description, se.body_part, COUNT(i.id), COALESCE(SUM(i.size), 0),"
                    + " MAX(i.received_at) FROM series se JOIN study st ON st.id = se.study_fk"
                    + " LEFT JOIN instance i ON i.series_fk = se.id WHERE st.study_uid = ?"
                    + " GROUP BY se.id, se.series_uid, se.series_number, se.modality, se.series_description, se.body_part"
                    + " ORDER BY se.series_number, se.id")) {
                ps.setString(1, studyUid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int number = rs.getInt(2);
                        Integer n = rs.wasNull() ? null : number;
                        series.add(new SeriesSummary(rs.getString(1), n, rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getInt(6), rs.getLong(7), rs.getLong(8)));
                    }
                }
            }
            return Optional.of(new StudyDetails(s.get(0), List.copyOf(series)));
        });
    }

    private static final String SUMMARY = "SELECT st.study_uid, st.study_date, st.study_time,"
            + " st.study_description, st.accession_number, st.modalities_in_study, COUNT(DISTINCT se.id), COUNT(i.id),"
            + " COALESCE(SUM(i.size), 0), COALESCE(MIN(i.received_at), 0), COALESCE(MAX(i.received_at), 0)"
            + " FROM study st JOIN series se ON se.study_fk = st.id LEFT JOIN instance i ON i.series_fk = se.id";
    private static final String GROUP = " GROUP BY st.id, st.study_uid, st.study_date, st.study_time, st.study_description,"
            + " st.accession_number, st.modalities_in_study";

    /** Every study, sorted and paged by the database, in the same order the in-memory sort gives. */
    private static Page everything(Tx tx, Sort sort, boolean descending, int offset, int limit) throws SQLException {
        String dir = descending ? " DESC" : " ASC";
        String order = switch (sort) {
            case STUDY_DATE -> " ORDER BY COALESCE(st.study_date, '')" + dir + ", COALESCE(st.study_time, '')" + dir;
            case RECEIVED -> " ORDER BY COALESCE(MAX(i.received_at), 0)" + dir;
        } + ", st.study_uid" + dir;
        int total;
        try (PreparedStatement ps = tx.connection().prepareStatement("SELECT COUNT(*) FROM study st"
                + " WHERE EXISTS (SELECT 1 FROM series se WHERE se.study_fk = st.id)");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            total = rs.getInt(1);
        }
        List<StudySummary> page = new ArrayList<>();
        try (PreparedStatement ps = tx.connection().prepareStatement(SUMMARY + GROUP + order + " LIMIT ? OFFSET ?")) {
            ps.setLong(1, limit <= 0 ? Integer.MAX_VALUE : limit);
            ps.setLong(2, offset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    page.add(summary(rs));
                }
            }
        }
        return new Page(total, List.copyOf(page));
    }

    private static StudySummary summary(ResultSet rs) throws SQLException {
        String m = rs.getString(6);
        return new StudySummary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                m == null ? List.of() : List.of(m.split("\\\\")), rs.getInt(7), rs.getInt(8), rs.getLong(9),
                rs.getLong(10), rs.getLong(11));
    }

    private static List<StudySummary> summaries(Tx tx, List<String> uids) throws SQLException {
        if (uids.isEmpty()) {
            return List.of();
        }
        String marks = String.join(", ", Collections.nCopies(uids.size(), "?"));
        List<StudySummary> out = new ArrayList<>();
        try (PreparedStatement ps = tx.connection().prepareStatement(SUMMARY + " WHERE st.study_uid IN (" + marks + ")"
                + GROUP)) {
            for (int i = 0; i < uids.size(); i++) {
                ps.setString(i + 1, uids.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(summary(rs));
                }
            }
        }
        return out;
    }
}

package dev.steadfast.archive.index;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Studies and their series summed up for administrators (how many series and instances, bytes,
 * when received): the admin API's study list and study page.
 */
public final class StudySummaryRepository {
    private static final String SUMMARY = "SELECT st.study_uid, st.study_date, st.study_time,"
            + " st.study_description, st.accession_number, st.modalities_in_study, COUNT(DISTINCT se.id), COUNT(i.id),"
            + " COALESCE(SUM(i.size), 0), COALESCE(MIN(i.received_at), 0), COALESCE(MAX(i.received_at), 0)"
            + " FROM study st JOIN series se ON se.study_fk = st.id LEFT JOIN instance i ON i.series_fk = se.id";
    private static final String GROUP = " GROUP BY st.id, st.study_uid, st.study_date, st.study_time, st.study_description,"
            + " st.accession_number, st.modalities_in_study";

    private final Connection c;

    StudySummaryRepository(Connection c) {
        this.c = c;
    }

    /**
     * One study; {@code modalities} is ModalitiesInStudy backslash-joined or null, times are epoch ms.
     */
    public record StudyRow(String studyUid, String date, String time, String description, String accessionNumber,
                           String modalities, int series, int instances, long bytes, long firstReceived,
                           long lastReceived) {
    }

    public record SeriesRow(String seriesUid, Integer number, String modality, String description, String bodyPart,
                            int instances, long bytes, long lastReceived) {
    }

    public enum Order { STUDY_DATE, RECEIVED }

    /** Studies that have at least one series. */
    public int count() throws SQLException {
        return (int) Sql.queryId(c, "SELECT COUNT(*) FROM study st WHERE EXISTS (SELECT 1 FROM series se WHERE se.study_fk = st.id)");
    }

    /**
     * One page of every study, sorted by the database (ties broken by Study Instance UID); limit 0 for all.
     * A page is chosen first from the study rows (and, for RECEIVED, each series' latest arrival, an
     * index probe per series), then only its studies are summed up: summing every instance to keep 50
     * read the whole instance table on each page view (seconds at 2 million instances, issue 19).
     */
    public List<StudyRow> page(Order order, boolean descending, int offset, int limit) throws SQLException {
        String dir = descending ? " DESC" : " ASC";
        if (limit <= 0) { // everything: one pass over all of it is the cheapest way
            String by = switch (order) {
                case STUDY_DATE -> " ORDER BY COALESCE(st.study_date, '')" + dir + ", COALESCE(st.study_time, '')" + dir;
                case RECEIVED -> " ORDER BY COALESCE(MAX(i.received_at), 0)" + dir;
            } + ", st.study_uid" + dir;
            List<StudyRow> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SUMMARY + GROUP + by); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.add(row(rs));
                }
            }
            return all;
        }
        List<String> uids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(pageSql(order, dir))) {
            ps.setLong(1, limit);
            ps.setLong(2, offset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    uids.add(rs.getString(1));
                }
            }
        }
        Map<String, StudyRow> rows = new HashMap<>();
        for (StudyRow r : of(uids)) {
            rows.put(r.studyUid(), r);
        }
        List<StudyRow> page = new ArrayList<>(uids.size());
        for (String uid : uids) {
            StudyRow r = rows.get(uid);
            if (r != null) { // deleted between the two statements (PostgreSQL reads what is committed per statement)
                page.add(r);
            }
        }
        return page;
    }

    /** The Study Instance UIDs of one page, in order; parameters: limit, offset. */
    static String pageSql(Order order, String dir) {
        return switch (order) {
            case STUDY_DATE -> "SELECT st.study_uid FROM study st WHERE EXISTS (SELECT 1 FROM series se WHERE se.study_fk = st.id)"
                    + " ORDER BY COALESCE(st.study_date, '')" + dir + ", COALESCE(st.study_time, '')" + dir + ", st.study_uid" + dir;
            // the latest arrival of each series from the index on (series_fk, received_at), not from its rows
            case RECEIVED -> "SELECT s.study_uid FROM (SELECT st.study_uid AS study_uid, COALESCE(MAX(x.last_received), 0) AS last_received"
                    + " FROM study st JOIN (SELECT se.study_fk AS study_fk, (SELECT MAX(l.received_at) FROM instance l"
                    + " WHERE l.series_fk = se.id) AS last_received FROM series se) x ON x.study_fk = st.id"
                    + " GROUP BY st.id, st.study_uid) s ORDER BY s.last_received" + dir + ", s.study_uid" + dir;
        } + " LIMIT ? OFFSET ?";
    }

    /** The studies with these UIDs (those indexed with a series), in no particular order. */
    public List<StudyRow> of(List<String> uids) throws SQLException {
        if (uids.isEmpty()) {
            return List.of();
        }
        String marks = String.join(", ", Collections.nCopies(uids.size(), "?"));
        List<StudyRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SUMMARY + " WHERE st.study_uid IN (" + marks + ")" + GROUP)) {
            for (int i = 0; i < uids.size(); i++) {
                ps.setString(i + 1, uids.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        }
        return out;
    }

    /** The series of a study, by Series Number then arrival. */
    public List<SeriesRow> seriesOf(String studyUid) throws SQLException {
        List<SeriesRow> series = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT se.series_uid, se.series_number,"
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
                    series.add(new SeriesRow(rs.getString(1), n, rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getInt(6), rs.getLong(7), rs.getLong(8)));
                }
            }
        }
        return series;
    }

    private static StudyRow row(ResultSet rs) throws SQLException {
        return new StudyRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getInt(7), rs.getInt(8), rs.getLong(9), rs.getLong(10), rs.getLong(11));
    }
}

package dev.steadfast.archive.query;

import dev.steadfast.archive.config.QueryConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.Tx;
import dev.steadfast.archive.ingest.Metadata;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one query engine behind C-FIND and QIDO-RS. Matching keys that are index columns at or
 * above the query level become SQL (see {@link Matching}) and select the candidates; every other
 * key (any attribute, sequences too) is matched against the stored metadata of the candidates'
 * instances (see {@link KeyMatcher}): an entity above the image level matches when one of its
 * instances does, and is answered from the latest such instance. Every requested key is answered
 * from that metadata, from the index for computed attributes, or empty, in a character set the
 * requester can read ({@link AnswerCharset}). Matches stream to a consumer in a stable order,
 * inside one read transaction.
 */
public final class QueryEngine {
    private static final int FETCH_SIZE = 256;

    private final Index index;
    private final QueryConfig config;

    public QueryEngine(Index index, QueryConfig config) {
        this.index = index;
        this.config = config;
    }

    /**
     * Runs the query and hands each match to {@code out} as a data set of the requested keys.
     *
     * @return the number of matches handed out
     */
    public int query(QueryRequest request, Consumer<Dataset> out) {
        SqlQuery sql = build(request);
        int[] emitted = {0};
        index.read(tx -> {
            int seen = 0; // a retried transaction skips what was already handed out
            int skipped = 0;
            try (PreparedStatement ps = tx.connection().prepareStatement(sql.text)) {
                ps.setFetchSize(FETCH_SIZE);
                bind(ps, sql.parameters);
                try (ResultSet rs = ps.executeQuery()) {
                    Responder responder = new Responder(tx, request, sql.residual, sql.inline,
                            config.caseInsensitivePersonNames());
                    while (rs.next() && (sql.limit == 0 || emitted[0] < sql.limit)) {
                        Dataset match = responder.respond(rs);
                        if (match == null) {
                            continue; // a candidate of the SQL that the stored metadata does not match
                        }
                        if (skipped < sql.offset) {
                            skipped++;
                            continue;
                        }
                        if (seen++ < emitted[0]) {
                            continue;
                        }
                        out.accept(match);
                        emitted[0]++;
                    }
                }
            }
            return null;
        });
        return emitted[0];
    }

    /** All matches as a list: for tests and small result sets only. */
    public List<Dataset> queryAll(QueryRequest request) {
        List<Dataset> all = new ArrayList<>();
        query(request, all::add);
        return all;
    }

    /**
     * The SQL for the candidates, and what is left to do in Java: the keys matched against the
     * stored metadata, and then the paging (pushed into the SQL when nothing is left to match).
     */
    private record SqlQuery(String text, List<Object> parameters, KeyMatcher residual, InlineAnswers inline, int offset,
                            long limit) {}

    private SqlQuery build(QueryRequest request) {
        QueryLevel level = request.level();
        InformationModel model = request.model();
        Matching matching = new Matching(config.caseInsensitivePersonNames());
        Dataset keys = request.keys();
        boolean combined = request.combinedDateTime()
                && !isEmpty(keys, Tag.StudyDate) && !isEmpty(keys, Tag.StudyTime);
        java.util.Set<Integer> inSql = new java.util.HashSet<>();
        for (Element e : keys) {
            IndexedKey key = IndexedKey.of(e.tag());
            if (key == null || key.levelIn(model).ordinal() > level.ordinal()) {
                continue; // not a column, or a key below the query level: matched on the stored metadata
            }
            if (e.value() != null && !(e.value() instanceof byte[])) {
                continue;
            }
            inSql.add(e.tag());
            if (combined && (key == IndexedKey.STUDY_DATE || key == IndexedKey.STUDY_TIME)) {
                continue;
            }
            matching.add(key, keys.getStrings(e.tag()));
        }
        if (combined) {
            matching.addCombinedDateTime(keys.getString(Tag.StudyDate), keys.getString(Tag.StudyTime));
        }
        KeyMatcher residual = KeyMatcher.of(keys, inSql::contains, config.caseInsensitivePersonNames());
        InlineAnswers inline = InlineAnswers.of(level, keys, residual.isEmpty());
        StringBuilder sb = new StringBuilder("SELECT ");
        sb.append(switch (level) {
            case PATIENT -> "p.id AS patient_pk, NULL AS study_pk, NULL AS series_pk, NULL AS instance_pk";
            case STUDY -> "p.id AS patient_pk, st.id AS study_pk, NULL AS series_pk, NULL AS instance_pk";
            case SERIES -> "p.id AS patient_pk, st.id AS study_pk, se.id AS series_pk, NULL AS instance_pk";
            case IMAGE -> "p.id AS patient_pk, st.id AS study_pk, se.id AS series_pk, i.id AS instance_pk";
        }).append(inline.selectList());
        sb.append(switch (level) {
            case PATIENT -> " FROM patient p";
            case STUDY -> " FROM study st JOIN patient p ON p.id = st.patient_fk";
            case SERIES -> " FROM series se JOIN study st ON st.id = se.study_fk JOIN patient p ON p.id = st.patient_fk";
            case IMAGE -> " FROM instance i JOIN series se ON se.id = i.series_fk JOIN study st ON st.id = se.study_fk"
                    + " JOIN patient p ON p.id = st.patient_fk";
        });
        if (!matching.conditions().isEmpty()) {
            sb.append(" WHERE ").append(String.join(" AND ", matching.conditions()));
        }
        sb.append(" ORDER BY ").append(switch (level) {
            case PATIENT -> "p.id";
            case STUDY -> "st.id";
            case SERIES -> "se.id";
            case IMAGE -> "i.id";
        });
        long limit = request.limit();
        if (config.maxResults() > 0 && (limit == 0 || limit > config.maxResults())) {
            limit = config.maxResults();
        }
        if (!residual.isEmpty()) {
            return new SqlQuery(sb.toString(), matching.parameters(), residual, inline, request.offset(), limit);
        }
        if (limit > 0 || request.offset() > 0) {
            sb.append(" LIMIT ").append(limit > 0 ? limit : Long.MAX_VALUE).append(" OFFSET ").append(request.offset());
        }
        return new SqlQuery(sb.toString(), matching.parameters(), residual, inline, 0, 0);
    }

    private static boolean isEmpty(Dataset ds, int tag) {
        String s = ds.getString(tag);
        return s == null || s.isBlank();
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object v = params.get(i);
            if (v instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, (String) v);
            }
        }
    }

    /** Builds one response per match; its statements are the connection's cached ones, reused across rows and queries. */
    private static final class Responder {
        private final Tx tx;
        private final QueryRequest request;
        private final KeyMatcher residual;
        private final InlineAnswers inline;
        private final boolean fold;

        Responder(Tx tx, QueryRequest request, KeyMatcher residual, InlineAnswers inline, boolean fold) {
            this.tx = tx;
            this.request = request;
            this.residual = residual;
            this.inline = inline;
            this.fold = fold;
        }

        /** The answer for one candidate row, or null when the stored metadata does not match the residual keys. */
        Dataset respond(ResultSet rs) throws SQLException {
            long patient = rs.getLong("patient_pk");
            long study = rs.getLong("study_pk");
            long series = rs.getLong("series_pk");
            Dataset meta;
            if (inline.hasMetadata()) {
                byte[] stored = rs.getBytes(InlineAnswers.METADATA);
                meta = stored == null ? new Dataset() : decode(stored); // an entity without instances answers empty
                if (!residual.matches(meta)) {
                    return null;
                }
            } else {
                meta = representative(patient, study, series);
                if (meta == null) {
                    return null;
                }
            }
            Dataset response = new Dataset();
            Element charset = meta.get(Tag.SpecificCharacterSet);
            if (charset != null) {
                response.put(charset);
            }
            for (Element key : request.keys()) {
                int tag = key.tag();
                if (tag == Tag.SpecificCharacterSet || (tag >>> 16) == 0x0002 || (tag >>> 16) == 0x0000) {
                    continue;
                }
                if (tag == Tag.QueryRetrieveLevel) {
                    response.setString(tag, VR.CS, request.level().name());
                    continue;
                }
                if (computed(rs, response, tag, patient, study, series)) {
                    continue;
                }
                answer(key, meta, response);
            }
            return AnswerCharset.forRequester(response, request.keys().getStrings(Tag.SpecificCharacterSet));
        }

        /**
         * One requested attribute from the stored data set. A sequence key with item keys returns the
         * stored items that match them, each with only the requested attributes (PS3.4 C.2.2.2.6); an
         * empty sequence key returns the whole stored sequence.
         */
        private void answer(Element key, Dataset stored, Dataset into) {
            int tag = key.tag();
            Element found = stored.get(tag);
            if (key.value() instanceof Sequence ks && !ks.isEmpty() && !ks.get(0).isEmpty()
                    && found != null && found.value() instanceof Sequence items) {
                Dataset itemKeys = ks.get(0);
                KeyMatcher matcher = KeyMatcher.forItem(itemKeys, fold);
                Sequence out = into.newSequence(tag);
                for (Dataset item : items) {
                    if (matcher.matches(item)) {
                        Dataset o = out.addItem();
                        for (Element k : itemKeys) {
                            answer(k, item, o);
                        }
                    }
                }
            } else if (found != null) {
                into.put(found);
            } else if (key.value() instanceof Sequence || key.vr() == VR.SQ) {
                into.newSequence(tag); // absent: an empty sequence
            } else {
                into.setNull(tag, key.vr());
            }
        }

        private boolean computed(ResultSet row, Dataset r, int tag, long patient, long study, long series)
                throws SQLException {
            QueryLevel level = request.level();
            String column = inline.column(tag);
            if (column != null) {
                if (tag == Tag.ModalitiesInStudy) {
                    modalities(r, row.getString(column));
                } else {
                    r.setString(tag, VR.IS, Long.toString(row.getLong(column)));
                }
                return true;
            }
            switch (tag) {
                case Tag.NumberOfPatientRelatedStudies -> count(r, tag, level == QueryLevel.PATIENT,
                        "SELECT COUNT(*) FROM study WHERE patient_fk = ?", patient);
                case Tag.NumberOfPatientRelatedSeries -> count(r, tag, level == QueryLevel.PATIENT,
                        "SELECT COUNT(*) FROM series se JOIN study st ON st.id = se.study_fk WHERE st.patient_fk = ?",
                        patient);
                case Tag.NumberOfPatientRelatedInstances -> count(r, tag, level == QueryLevel.PATIENT,
                        "SELECT COUNT(*) FROM instance i JOIN series se ON se.id = i.series_fk"
                                + " JOIN study st ON st.id = se.study_fk WHERE st.patient_fk = ?", patient);
                case Tag.NumberOfStudyRelatedSeries -> count(r, tag, level == QueryLevel.STUDY,
                        "SELECT COUNT(*) FROM series WHERE study_fk = ?", study);
                case Tag.NumberOfStudyRelatedInstances -> count(r, tag, level == QueryLevel.STUDY,
                        "SELECT COUNT(*) FROM instance i JOIN series se ON se.id = i.series_fk WHERE se.study_fk = ?",
                        study);
                case Tag.NumberOfSeriesRelatedInstances -> count(r, tag, level == QueryLevel.SERIES,
                        "SELECT COUNT(*) FROM instance WHERE series_fk = ?", series);
                case Tag.ModalitiesInStudy -> {
                    if (level == QueryLevel.PATIENT) {
                        r.setNull(tag, VR.CS);
                    } else {
                        List<String> m = strings("SELECT modalities_in_study FROM study WHERE id = ?", study);
                        modalities(r, m.isEmpty() ? null : m.get(0));
                    }
                }
                case Tag.SOPClassesInStudy -> {
                    if (level == QueryLevel.PATIENT) {
                        r.setNull(tag, VR.UI);
                    } else {
                        List<String> classes = strings("SELECT DISTINCT i.sop_class_uid FROM instance i"
                                + " JOIN series se ON se.id = i.series_fk WHERE se.study_fk = ?"
                                + " AND i.sop_class_uid IS NOT NULL ORDER BY i.sop_class_uid", study);
                        r.setString(tag, VR.UI, classes.toArray(String[]::new));
                    }
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        private static void modalities(Dataset r, String joined) {
            if (joined == null) {
                r.setNull(Tag.ModalitiesInStudy, VR.CS);
            } else {
                r.setString(Tag.ModalitiesInStudy, VR.CS, joined.split("\\\\"));
            }
        }

        private static Dataset decode(byte[] stored) {
            try {
                return Metadata.decode(stored);
            } catch (IOException e) {
                throw new UncheckedIOException("stored metadata is unreadable", e);
            }
        }

        private void count(Dataset r, int tag, boolean applies, String sql, long id) throws SQLException {
            if (!applies && id == 0) {
                r.setNull(tag, VR.IS);
                return;
            }
            PreparedStatement ps = tx.cached(sql);
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                r.setString(tag, VR.IS, Long.toString(rs.getLong(1)));
            }
        }

        private List<String> strings(String sql, long id) throws SQLException {
            List<String> out = new ArrayList<>();
            PreparedStatement ps = tx.cached(sql);
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }

        /**
         * The metadata of the latest instance under the matched entity that matches the residual keys
         * (any instance may: the entity's attributes are those of its instances), or null if none does.
         * Only when residual keys are left: otherwise the candidate statement brought it ({@link InlineAnswers}).
         */
        private Dataset representative(long patient, long study, long series) throws SQLException {
            String sql;
            long id;
            switch (request.level()) {
                case SERIES -> {
                    sql = "SELECT metadata FROM instance WHERE series_fk = ? ORDER BY id DESC";
                    id = series;
                }
                case STUDY -> {
                    sql = "SELECT i.metadata FROM instance i JOIN series se ON se.id = i.series_fk"
                            + " WHERE se.study_fk = ? ORDER BY i.id DESC";
                    id = study;
                }
                default -> {
                    sql = "SELECT i.metadata FROM instance i JOIN series se ON se.id = i.series_fk"
                            + " JOIN study st ON st.id = se.study_fk WHERE st.patient_fk = ? ORDER BY i.id DESC";
                    id = patient;
                }
            }
            PreparedStatement ps = tx.cached(sql);
            ps.setLong(1, id);
            ps.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Dataset meta = Metadata.decode(rs.getBytes(1));
                    if (residual.matches(meta)) {
                        return meta;
                    }
                }
                return residual.isEmpty() ? new Dataset() : null; // an entity without instances answers empty
            } catch (IOException e) {
                throw new UncheckedIOException("stored metadata is unreadable", e);
            }
        }
    }
}

package dev.steadfast.archive.query;

import dev.steadfast.archive.config.QueryConfig;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Tag;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one query runs: the candidate statement (matching keys that are index columns, as SQL),
 * what is left to match on the stored metadata, what the statement fetches to answer with, and
 * how it is paged (by the id of the query level's row, ascending).
 *
 * @param select     SELECT ... FROM ... [WHERE ...], without paging
 * @param where      whether {@code select} has a WHERE clause
 * @param parameters its parameters
 * @param residual   keys matched on the stored metadata
 * @param inline     metadata and computed attributes fetched by the statement
 * @param idColumn   the level's id column, the paging key
 * @param idLabel    the label of the level's id in the result
 * @param indexed    per return key answered from an index column when the stored metadata lacks it, the column's label
 */
record QueryPlan(String select, boolean where, List<Object> parameters, KeyMatcher residual, InlineAnswers inline,
                 String idColumn, String idLabel, Map<Integer, String> indexed) {

    /** The statement for the page of at most {@code rows} candidates after the id bound as the last parameter. */
    String pageSql(int rows, int offset) {
        return select + (where ? " AND " : " WHERE ") + idColumn + " > ? ORDER BY " + idColumn + " LIMIT " + rows
                + (offset > 0 ? " OFFSET " + offset : "");
    }

    static QueryPlan of(QueryRequest request, QueryConfig config) {
        QueryEngine.checkSize(request.keys(), config.maxMatchingKeys());
        QueryLevel level = request.level();
        InformationModel model = request.model();
        Matching matching = new Matching(config.caseInsensitivePersonNames());
        Dataset keys = request.keys();
        boolean combined = request.combinedDateTime()
                && !isEmpty(keys, Tag.StudyDate) && !isEmpty(keys, Tag.StudyTime);
        Set<Integer> inSql = new HashSet<>();
        Map<Integer, String> indexed = new HashMap<>();
        StringBuilder indexedSelect = new StringBuilder();
        for (Element e : keys) {
            IndexedKey key = IndexedKey.of(e.tag());
            if (key == null || key.levelIn(model).ordinal() > level.ordinal()) {
                continue; // not a column, or a key below the query level: matched on the stored metadata
            }
            if (key.kind != IndexedKey.Kind.UID && key.kind != IndexedKey.Kind.MODALITIES && !indexed.containsKey(e.tag())) {
                String label = "indexed_" + indexed.size();
                indexed.put(e.tag(), label);
                indexedSelect.append(", ").append(key.column).append(" AS ").append(label);
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
        }).append(inline.selectList()).append(indexedSelect);
        sb.append(switch (level) {
            case PATIENT -> " FROM patient p";
            case STUDY -> " FROM study st JOIN patient p ON p.id = st.patient_fk";
            case SERIES -> " FROM series se JOIN study st ON st.id = se.study_fk JOIN patient p ON p.id = st.patient_fk";
            case IMAGE -> " FROM instance i JOIN series se ON se.id = i.series_fk JOIN study st ON st.id = se.study_fk"
                    + " JOIN patient p ON p.id = st.patient_fk";
        });
        boolean where = !matching.conditions().isEmpty();
        if (where) {
            sb.append(" WHERE ").append(String.join(" AND ", matching.conditions()));
        }
        String id = switch (level) {
            case PATIENT -> "p.id";
            case STUDY -> "st.id";
            case SERIES -> "se.id";
            case IMAGE -> "i.id";
        };
        String label = switch (level) {
            case PATIENT -> "patient_pk";
            case STUDY -> "study_pk";
            case SERIES -> "series_pk";
            case IMAGE -> "instance_pk";
        };
        return new QueryPlan(sb.toString(), where, matching.parameters(), residual, inline, id, label, Map.copyOf(indexed));
    }

    private static boolean isEmpty(Dataset ds, int tag) {
        String s = ds.getString(tag);
        return s == null || s.isBlank();
    }
}

package dev.steadfast.archive.index;

import dev.steadfast.archive.index.IndexedColumn.Level;
import dev.steadfast.dicom.Tag;

import java.util.HashMap;
import java.util.Map;

/**
 * What the candidate statement fetches for each match besides its keys, as correlated subqueries:
 * the stored metadata to answer from (when no key is left to match on it, the latest instance's)
 * and the computed attributes asked for. Why: one statement per query instead of several per
 * match; on PostgreSQL each statement is a round trip to another process, which under load cost
 * milliseconds per match (issue 8, docs/PERFORMANCE.md "Query latency on PostgreSQL (second session)").
 */
final class InlineAnswers {
    static final String METADATA = "answer_metadata";

    private final StringBuilder select = new StringBuilder();
    private final Map<Integer, String> columns = new HashMap<>();
    private boolean metadata;

    /** For a query at {@code level}; {@code latest}: nothing is left to match on the stored metadata. */
    static InlineAnswers of(Level level, int[] requested, boolean latest) {
        InlineAnswers a = new InlineAnswers();
        String m = switch (level) {
            case INSTANCE -> "i.metadata"; // one instance: its metadata, residual keys or not
            case SERIES -> latest ? latestOf("SELECT MAX(l.id) FROM instance l WHERE l.series_fk = se.id") : null;
            case STUDY -> latest ? latestOf("SELECT MAX(l.id) FROM instance l JOIN series ls ON ls.id = l.series_fk"
                    + " WHERE ls.study_fk = st.id") : null;
            case PATIENT -> latest ? latestOf("SELECT MAX(l.id) FROM instance l JOIN series ls ON ls.id = l.series_fk"
                    + " JOIN study lst ON lst.id = ls.study_fk WHERE lst.patient_fk = p.id") : null;
        };
        if (m != null) {
            a.metadata = true;
            a.select.append(", ").append(m).append(" AS ").append(METADATA);
        }
        boolean study = level != Level.PATIENT;
        boolean series = level == Level.SERIES || level == Level.INSTANCE;
        for (int tag : requested) {
            String expr = switch (tag) {
                case Tag.NumberOfPatientRelatedStudies -> "(SELECT COUNT(*) FROM study c WHERE c.patient_fk = p.id)";
                case Tag.NumberOfPatientRelatedSeries -> "(SELECT COUNT(*) FROM series c JOIN study cst ON cst.id = c.study_fk"
                        + " WHERE cst.patient_fk = p.id)";
                case Tag.NumberOfPatientRelatedInstances -> "(SELECT COUNT(*) FROM instance c JOIN series cse ON cse.id = c.series_fk"
                        + " JOIN study cst ON cst.id = cse.study_fk WHERE cst.patient_fk = p.id)";
                case Tag.NumberOfStudyRelatedSeries -> study ? "(SELECT COUNT(*) FROM series c WHERE c.study_fk = st.id)" : null;
                case Tag.NumberOfStudyRelatedInstances -> study ? "(SELECT COUNT(*) FROM instance c JOIN series cse"
                        + " ON cse.id = c.series_fk WHERE cse.study_fk = st.id)" : null;
                case Tag.NumberOfSeriesRelatedInstances -> series ? "(SELECT COUNT(*) FROM instance c WHERE c.series_fk = se.id)"
                        : null;
                case Tag.ModalitiesInStudy -> study ? "st.modalities_in_study" : null;
                default -> null;
            };
            if (expr != null && !a.columns.containsKey(tag)) {
                String label = "answer_" + a.columns.size();
                a.columns.put(tag, label);
                a.select.append(", ").append(expr).append(" AS ").append(label);
            }
        }
        return a;
    }

    /** The metadata of the instance whose id {@code maxId} selects: from the index alone, then one row. */
    private static String latestOf(String maxId) {
        return "(SELECT lm.metadata FROM instance lm WHERE lm.id = (" + maxId + "))";
    }

    /** To append to the select list, starting with a comma; empty when nothing is fetched inline. */
    String selectList() { return select.toString(); }

    /** Whether the statement returns the metadata to answer from, in column {@link #METADATA}. */
    boolean hasMetadata() { return metadata; }

    /** Per computed attribute fetched, the label of its column. */
    Map<Integer, String> columns() { return columns; }

    /** The column holding the value of computed attribute {@code tag}, or null when it is fetched apart. */
    String column(int tag) { return columns.get(tag); }
}

package dev.steadfast.archive.index;

import dev.steadfast.archive.index.IndexedColumn.Level;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The candidate statement of one query, built from what the query engine asks for: conditions
 * on index columns ({@link Matching}), the stored metadata and computed attributes to fetch with
 * each candidate ({@link InlineAnswers}), and index columns answers may fall back to. Read by
 * {@link CandidateRepository} in two steps: the ids of all candidates (one statement), then the
 * candidates a page of ids at a time, each page in its own short transaction; a page reads rows by
 * primary key, so paging costs no sort again. The SQL of queries lives here and in the
 * repositories, nowhere else (issue 12).
 */
public final class CandidateQuery {
    private final Level level;
    private final boolean studyRoot;
    private final Matching matching;
    private final Map<Integer, String> fallbacks = new HashMap<>();
    private final StringBuilder fallbackSelect = new StringBuilder();
    private InlineAnswers inline;

    /**
     * @param level     the level of the entities answered
     * @param studyRoot Study Root model: patient columns are read at the study level
     * @param foldNames match person names ignoring case
     */
    public CandidateQuery(Level level, boolean studyRoot, boolean foldNames) {
        this.level = level;
        this.studyRoot = studyRoot;
        this.matching = new Matching(foldNames);
    }

    public Level level() { return level; }

    /** Whether the column is in the candidate statement's tables (at or above the level). */
    public boolean reaches(IndexedColumn column) {
        return column.levelIn(studyRoot).ordinal() <= level.ordinal();
    }

    /**
     * Adds the condition of one matching key on its column (PS3.4 C.2.2.2; dates and times checked by the caller).
     *
     * @throws IllegalArgumentException a value the column cannot hold
     */
    public void match(IndexedColumn column, String[] values) {
        matching.add(column, values);
    }

    /** Study Date and Study Time matched as one date-time range (C.2.2.2.5). */
    public void matchCombinedDateTime(String dateRange, String timeRange) {
        matching.addCombinedDateTime(dateRange, timeRange);
    }

    /** Fetches the column with each candidate, for an answer whose stored metadata lacks the attribute. */
    public void fallBackTo(IndexedColumn column) {
        if (column.answers() && !fallbacks.containsKey(column.tag)) {
            String label = "indexed_" + fallbacks.size();
            fallbacks.put(column.tag, label);
            fallbackSelect.append(", ").append(column.column).append(" AS ").append(label);
        }
    }

    /**
     * What to fetch besides the ids: {@code latestMetadata}, the latest instance's stored metadata
     * (nothing is left to match on it; at the instance level its own is always fetched), and the
     * computed attributes among {@code requested} tags (counts, Modalities in Study).
     */
    public void fetch(boolean latestMetadata, int[] requested) {
        inline = InlineAnswers.of(level, requested, latestMetadata);
    }

    /** Whether each candidate comes with the metadata to answer from. */
    public boolean fetchesMetadata() {
        return inline != null && inline.hasMetadata();
    }

    InlineAnswers inline() { return inline; }

    Map<Integer, String> fallbacks() { return fallbacks; }

    List<Object> parameters() { return matching.parameters(); }

    /**
     * The ids of every candidate, in id order; {@code limit} 0 for all. Only ids: cheap to list,
     * and the pages that follow read each candidate by its id (no condition, no sort again).
     */
    String idsSql(int offset, long limit) {
        StringBuilder sb = new StringBuilder("SELECT ").append(idColumn()).append(from());
        if (!matching.conditions().isEmpty()) {
            sb.append(" WHERE ").append(String.join(" AND ", matching.conditions()));
        }
        sb.append(" ORDER BY ").append(idColumn());
        if (limit > 0 || offset > 0) {
            sb.append(" LIMIT ").append(limit > 0 ? limit : Long.MAX_VALUE).append(" OFFSET ").append(offset);
        }
        return sb.toString();
    }

    /** The statement for the candidates with {@code n} ids, bound as parameters, in id order. */
    String pageSql(int n) {
        if (inline == null) {
            inline = InlineAnswers.of(level, new int[0], false);
        }
        StringBuilder sb = new StringBuilder("SELECT ");
        sb.append(switch (level) {
            case PATIENT -> "p.id AS patient_pk, NULL AS study_pk, NULL AS series_pk, NULL AS instance_pk";
            case STUDY -> "p.id AS patient_pk, st.id AS study_pk, NULL AS series_pk, NULL AS instance_pk";
            case SERIES -> "p.id AS patient_pk, st.id AS study_pk, se.id AS series_pk, NULL AS instance_pk";
            case INSTANCE -> "p.id AS patient_pk, st.id AS study_pk, se.id AS series_pk, i.id AS instance_pk";
        }).append(inline.selectList()).append(fallbackSelect).append(from());
        sb.append(" WHERE ").append(idColumn()).append(" IN (");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "?" : ", ?");
        }
        return sb.append(") ORDER BY ").append(idColumn()).toString();
    }

    private String from() {
        return switch (level) {
            case PATIENT -> " FROM patient p";
            case STUDY -> " FROM study st JOIN patient p ON p.id = st.patient_fk";
            case SERIES -> " FROM series se JOIN study st ON st.id = se.study_fk JOIN patient p ON p.id = st.patient_fk";
            case INSTANCE -> " FROM instance i JOIN series se ON se.id = i.series_fk JOIN study st ON st.id = se.study_fk"
                    + " JOIN patient p ON p.id = st.patient_fk";
        };
    }

    private String idColumn() {
        return switch (level) {
            case PATIENT -> "p.id";
            case STUDY -> "st.id";
            case SERIES -> "se.id";
            case INSTANCE -> "i.id";
        };
    }
}

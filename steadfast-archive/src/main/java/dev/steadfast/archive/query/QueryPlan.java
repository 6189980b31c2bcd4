package dev.steadfast.archive.query;

import dev.steadfast.archive.config.QueryConfig;
import dev.steadfast.archive.index.CandidateQuery;
import dev.steadfast.archive.index.IndexedColumn;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;

import java.util.HashSet;
import java.util.Set;

/**
 * What one query runs: the candidate statement (matching keys that are index columns, given to
 * {@link CandidateQuery}, which owns the SQL), and what is left to match on the stored metadata.
 *
 * @param candidates the candidate statement
 * @param residual   keys matched on the stored metadata
 */
record QueryPlan(CandidateQuery candidates, KeyMatcher residual) {

    static QueryPlan of(QueryRequest request, QueryConfig config) {
        QueryEngine.checkSize(request.keys(), config.maxMatchingKeys());
        CandidateQuery candidates = new CandidateQuery(IndexedColumn.Level.values()[request.level().ordinal()],
                request.model() == InformationModel.STUDY_ROOT, config.caseInsensitivePersonNames());
        Dataset keys = request.keys();
        boolean combined = request.combinedDateTime()
                && !isEmpty(keys, Tag.StudyDate) && !isEmpty(keys, Tag.StudyTime);
        Set<Integer> inSql = new HashSet<>();
        for (Element e : keys) {
            IndexedColumn column = IndexedColumn.of(e.tag());
            if (column == null || !candidates.reaches(column)) {
                continue; // not a column, or a key below the query level: matched on the stored metadata
            }
            candidates.fallBackTo(column);
            if (e.value() != null && !(e.value() instanceof byte[])) {
                continue;
            }
            inSql.add(e.tag());
            String[] values = keys.getStrings(e.tag());
            switch (column.kind) {
                case DATE -> TemporalKeys.check(e.tag(), VR.DA, values);
                case TIME -> TemporalKeys.check(e.tag(), VR.TM, values);
                default -> { }
            }
            if (combined && (column == IndexedColumn.STUDY_DATE || column == IndexedColumn.STUDY_TIME)) {
                continue;
            }
            try {
                candidates.match(column, values);
            } catch (IllegalArgumentException ex) {
                throw new InvalidQueryException(Tag.toString(e.tag()) + ": " + ex.getMessage(), e.tag());
            }
        }
        if (combined) {
            candidates.matchCombinedDateTime(keys.getString(Tag.StudyDate), keys.getString(Tag.StudyTime));
        }
        KeyMatcher residual = KeyMatcher.of(keys, inSql::contains, config.caseInsensitivePersonNames());
        candidates.fetch(residual.isEmpty(), keys.tags());
        return new QueryPlan(candidates, residual);
    }

    private static boolean isEmpty(Dataset ds, int tag) {
        String s = ds.getString(tag);
        return s == null || s.isBlank();
    }
}

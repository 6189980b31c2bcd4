package dev.steadfast.archive.query;

import dev.steadfast.dicom.Dataset;

import java.util.Objects;

/**
 * One C-FIND or QIDO-RS query.
 *
 * @param model            information model (QIDO uses STUDY_ROOT)
 * @param level            level of the entities to return
 * @param keys             matching and return keys; an empty value is universal matching
 * @param offset           matches to skip (QIDO {@code offset}), 0 for none
 * @param limit            most matches to return (QIDO {@code limit}), 0 for no limit
 * @param combinedDateTime match StudyDate and StudyTime ranges as one date-time range
 *                         (C-FIND extended negotiation, PS3.4 C.2.2.2.5)
 */
public record QueryRequest(InformationModel model, QueryLevel level, Dataset keys, int offset, int limit,
                           boolean combinedDateTime) {

    public QueryRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(keys, "keys");
        if (offset < 0 || limit < 0) {
            throw new InvalidQueryException("offset and limit must not be negative");
        }
        if (!model.allows(level)) {
            throw new InvalidQueryException(level + " level is not part of the " + model + " model");
        }
    }

    public static QueryRequest of(InformationModel model, QueryLevel level, Dataset keys) {
        return new QueryRequest(model, level, keys, 0, 0, false);
    }

    public QueryRequest withPage(int offset, int limit) {
        return new QueryRequest(model, level, keys, offset, limit, combinedDateTime);
    }

    public QueryRequest withCombinedDateTime(boolean combined) {
        return new QueryRequest(model, level, keys, offset, limit, combined);
    }
}

package dev.steadfast.archive.query;

import dev.steadfast.archive.index.CandidateRepository;
import dev.steadfast.archive.index.InstanceRepository;
import dev.steadfast.archive.index.Tx;
import dev.steadfast.archive.ingest.Metadata;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;

/**
 * Builds one answer per candidate row, inside the page's read transaction: every requested key
 * from the stored metadata of the entity's representative instance (the latest that matches the
 * residual keys), from the index for computed attributes, or empty, in a character set the
 * requester can read ({@link AnswerCharset}).
 *
 * <p>An attribute of the patient, study or series that the representative instance lacks is
 * answered from the index column, which keeps the latest non-empty value any instance gave (issue
 * 13: a PDF without Study Description, received last, must not blank the study's description).
 */
final class Responder {
    private final Tx tx;
    private final QueryRequest request;
    private final QueryPlan plan;
    private final boolean fold;

    Responder(Tx tx, QueryRequest request, QueryPlan plan, boolean fold) {
        this.tx = tx;
        this.request = request;
        this.plan = plan;
        this.fold = fold;
    }

    /** The answer for one candidate row, or null when the stored metadata does not match the residual keys. */
    Dataset respond(CandidateRepository.Row row) throws SQLException {
        long patient = row.patient();
        long study = row.study();
        long series = row.series();
        Dataset meta;
        if (plan.candidates().fetchesMetadata()) {
            byte[] stored = row.metadata();
            meta = stored == null ? new Dataset() : decode(stored); // an entity without instances answers empty
            if (!plan.residual().matches(meta)) {
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
            if (computed(row, response, tag, study)) {
                continue;
            }
            answer(key, meta, response);
            Element given = response.get(tag);
            if (given == null || given.isEmpty()) {
                String column = row.indexed(tag);
                if (column != null && !column.isEmpty()) {
                    fallBack(response, tag, key.vr(), column);
                }
            }
        }
        return AnswerCharset.forRequester(response, request.keys().getStrings(Tag.SpecificCharacterSet));
    }

    /**
     * Answers one attribute with the index column's (decoded) value. The index may hold text the
     * answer's character set cannot: an answer still in the default repertoire switches to UTF-8
     * (its ASCII values stay valid); one in another set keeps it, and the value is written in it.
     */
    private static void fallBack(Dataset response, int tag, VR keyVr, String value) {
        VR vr = keyVr == null || keyVr == VR.UN ? dev.steadfast.dicom.dictionary.ElementDictionary.vrOf(tag) : keyVr;
        boolean ascii = value.chars().allMatch(c -> c < 128);
        if (!ascii && !response.contains(Tag.SpecificCharacterSet)) {
            response.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        }
        response.setString(tag, vr, value);
    }

    private void answer(Element key, Dataset stored, Dataset into) {
        DatasetMatcher.answer(key, stored, into, fold);
    }

    /** Computed attributes: from the candidate row (fetched with it), or empty where the level has none. */
    private boolean computed(CandidateRepository.Row row, Dataset r, int tag, long study) throws SQLException {
        QueryLevel level = request.level();
        if (row.fetched(tag)) {
            String value = row.computed(tag);
            if (tag == Tag.ModalitiesInStudy) {
                modalities(r, value);
            } else {
                r.setString(tag, VR.IS, value == null ? "0" : value.strip());
            }
            return true;
        }
        switch (tag) {
            // Counts of a level above the query's (the candidate statement fetched every count the level has).
            case Tag.NumberOfPatientRelatedStudies, Tag.NumberOfPatientRelatedSeries, Tag.NumberOfPatientRelatedInstances,
                 Tag.NumberOfStudyRelatedSeries, Tag.NumberOfStudyRelatedInstances, Tag.NumberOfSeriesRelatedInstances ->
                    r.setNull(tag, VR.IS);
            case Tag.ModalitiesInStudy -> r.setNull(tag, VR.CS);
            case Tag.SOPClassesInStudy -> {
                if (level == QueryLevel.PATIENT) {
                    r.setNull(tag, VR.UI);
                } else {
                    r.setString(tag, VR.UI, tx.studies().sopClasses(study).toArray(String[]::new));
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

    /**
     * The metadata of the latest instance under the matched entity that matches the residual keys
     * (any instance may: the entity's attributes are those of its instances), or null if none does.
     * Only when residual keys are left: otherwise the candidate statement brought it.
     */
    private Dataset representative(long patient, long study, long series) throws SQLException {
        InstanceRepository.Scope scope;
        long id;
        switch (request.level()) {
            case SERIES -> {
                scope = InstanceRepository.Scope.SERIES;
                id = series;
            }
            case STUDY -> {
                scope = InstanceRepository.Scope.STUDY;
                id = study;
            }
            default -> {
                scope = InstanceRepository.Scope.PATIENT;
                id = patient;
            }
        }
        Dataset[] found = {null};
        tx.instances().newestFirst(scope, id, bytes -> {
            Dataset meta = decode(bytes);
            if (plan.residual().matches(meta)) {
                found[0] = meta;
                return false; // found: stop reading
            }
            return true;
        });
        if (found[0] == null && plan.residual().isEmpty()) {
            return new Dataset(); // an entity without instances answers empty
        }
        return found[0];
    }
}

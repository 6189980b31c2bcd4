package dev.steadfast.archive.iocm;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Key Object Selection Document (PS3.3 A.35.4) whose Document Title (Concept Name Code
 * Sequence) is a rejection reason of CID 7011: what it rejects is every instance its Current
 * Requested Procedure Evidence Sequence references (study, series, SOP instance).
 */
public record RejectionNote(String sopUid, RejectionReason reason, List<Reference> references) {
    /** One rejected instance as the note names it. */
    public record Reference(String studyUid, String seriesUid, String sopUid, String sopClassUid) {
    }

    /** The note this data set is, or empty when it is not a rejection note (any other instance, any other KOS). */
    public static Optional<RejectionNote> of(Dataset header) {
        if (!UID.KeyObjectSelectionDocumentStorage.equals(strip(header.getString(Tag.SOPClassUID)))) {
            return Optional.empty();
        }
        Dataset title = first(header.getSequence(Tag.ConceptNameCodeSequence));
        if (title == null) {
            return Optional.empty();
        }
        Optional<RejectionReason> reason = RejectionReason.of(title.getString(Tag.CodingSchemeDesignator),
                title.getString(Tag.CodeValue));
        if (reason.isEmpty()) {
            return Optional.empty();
        }
        List<Reference> refs = new ArrayList<>();
        Sequence evidence = header.getSequence(Tag.CurrentRequestedProcedureEvidenceSequence);
        for (Dataset study : items(evidence)) {
            String studyUid = strip(study.getString(Tag.StudyInstanceUID));
            for (Dataset series : items(study.getSequence(Tag.ReferencedSeriesSequence))) {
                String seriesUid = strip(series.getString(Tag.SeriesInstanceUID));
                for (Dataset sop : items(series.getSequence(Tag.ReferencedSOPSequence))) {
                    String sopUid = strip(sop.getString(Tag.ReferencedSOPInstanceUID));
                    if (studyUid != null && seriesUid != null && sopUid != null) {
                        refs.add(new Reference(studyUid, seriesUid, sopUid, strip(sop.getString(Tag.ReferencedSOPClassUID))));
                    }
                }
            }
        }
        return Optional.of(new RejectionNote(strip(header.getString(Tag.SOPInstanceUID)), reason.get(), List.copyOf(refs)));
    }

    private static List<Dataset> items(Sequence s) {
        if (s == null) {
            return List.of();
        }
        List<Dataset> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            out.add(s.get(i));
        }
        return out;
    }

    private static Dataset first(Sequence s) {
        return s == null || s.size() == 0 ? null : s.get(0);
    }

    private static String strip(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip().replace("\0", "");
        return t.isEmpty() ? null : t;
    }
}

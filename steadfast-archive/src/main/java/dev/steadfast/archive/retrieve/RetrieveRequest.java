package dev.steadfast.archive.retrieve;

import dev.steadfast.archive.index.StoredInstance;

import java.util.List;

/**
 * What a C-MOVE, C-GET or WADO request names: a study, optionally series within it, optionally
 * SOP instances. A null study with SOP instance UIDs retrieves those instances wherever they are
 * (PS3.4 C.6.2 relational retrieve at image level).
 */
public record RetrieveRequest(String studyUid, List<String> seriesUids, List<String> sopInstanceUids) {

    public RetrieveRequest {
        seriesUids = seriesUids == null ? List.of() : List.copyOf(seriesUids);
        sopInstanceUids = sopInstanceUids == null ? List.of() : List.copyOf(sopInstanceUids);
    }

    public static RetrieveRequest study(String studyUid) {
        return new RetrieveRequest(studyUid, List.of(), List.of());
    }

    public static RetrieveRequest series(String studyUid, String seriesUid) {
        return new RetrieveRequest(studyUid, List.of(seriesUid), List.of());
    }

    public static RetrieveRequest instance(String studyUid, String seriesUid, String sopUid) {
        return new RetrieveRequest(studyUid, seriesUid == null ? List.of() : List.of(seriesUid), List.of(sopUid));
    }

    /** Whether an instance lies within the study and series this request names. */
    boolean contains(StoredInstance i) {
        return (studyUid == null || studyUid.equals(i.studyUid()))
                && (seriesUids.isEmpty() || seriesUids.contains(i.seriesUid()));
    }
}

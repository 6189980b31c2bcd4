package dev.steadfast.archive.index;

/**
 * An instance names a Series Instance UID the index already holds under another study. A series
 * belongs to exactly one study (PS3.3 C.7.3.1: the UID identifies the series, which the Study IE
 * contains), and {@code series.series_uid} is unique, so the instance is refused rather than filed
 * under the first study (or moving that study's series into its own). Thrown inside the write
 * transaction, which rolls back: nothing of the instance is indexed. UIDs only in the message.
 */
public final class SeriesInOtherStudyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String seriesUid;
    private final String indexedStudyUid;

    public SeriesInOtherStudyException(String seriesUid, String indexedStudyUid) {
        super("Series Instance UID " + seriesUid + " already belongs to study " + indexedStudyUid
                + "; a series belongs to one study, so an instance of another study cannot name it");
        this.seriesUid = seriesUid;
        this.indexedStudyUid = indexedStudyUid;
    }

    public String seriesUid() {
        return seriesUid;
    }

    /** The study the index files the series under. */
    public String indexedStudyUid() {
        return indexedStudyUid;
    }
}

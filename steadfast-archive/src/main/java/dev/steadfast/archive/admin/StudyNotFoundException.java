package dev.steadfast.archive.admin;

/** The study is neither in the index nor waiting in the ingest journal. */
public final class StudyNotFoundException extends RuntimeException {
    public StudyNotFoundException(String studyUid) {
        super("no study " + studyUid);
    }
}

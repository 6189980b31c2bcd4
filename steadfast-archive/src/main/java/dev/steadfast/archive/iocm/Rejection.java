package dev.steadfast.archive.iocm;

/**
 * One rejected instance as the index keeps it.
 *
 * @param storageKey     where its file is (or was), null while the instance never arrived
 * @param filesDeletedAt when its files were deleted (retention expired), null otherwise
 */
public record Rejection(String sopUid, String studyUid, String seriesUid, String sopClassUid, RejectionReason reason,
                        String noteSopUid, long rejectedAt, String rejectedBy, String storageKey, Long size,
                        Long filesDeletedAt) {
    /** Whether this archive held the instance (it arrived before or after the note). */
    public boolean held() {
        return storageKey != null;
    }
}

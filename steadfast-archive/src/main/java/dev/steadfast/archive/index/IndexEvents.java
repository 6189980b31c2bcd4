package dev.steadfast.archive.index;

import dev.steadfast.dicom.Dataset;

import java.sql.SQLException;

/**
 * What else must happen in the very transaction that changes the index (issue 17: forwarding
 * queues), so that a crash can never leave the index changed and the follow-up missed. Called
 * inside the caller's write transaction; a failure here fails (rolls back) that transaction.
 */
public interface IndexEvents {
    IndexEvents NONE = new IndexEvents() {
    };

    /** Both, {@code first} first, in the same transaction: forwarding, prefetch (issue 17), availability notices (issue 18). */
    static IndexEvents both(IndexEvents first, IndexEvents second) {
        if (first == NONE) {
            return second;
        }
        if (second == NONE) {
            return first;
        }
        return new IndexEvents() {
            @Override
            public void instanceRecorded(Tx tx, Dataset header, InstanceRecord record) throws SQLException {
                first.instanceRecorded(tx, header, record);
                second.instanceRecorded(tx, header, record);
            }

            @Override
            public void studyDeleted(Tx tx, String studyUid, String reason) throws SQLException {
                first.studyDeleted(tx, studyUid, reason);
                second.studyDeleted(tx, studyUid, reason);
            }
        };
    }

    /** An instance was newly recorded, or replaced by other bytes (not called for an identical re-send). */
    default void instanceRecorded(Tx tx, Dataset header, InstanceRecord record) throws SQLException {
    }

    /** A study's deletion was recorded (the tombstone), before its rows are removed. */
    default void studyDeleted(Tx tx, String studyUid, String reason) throws SQLException {
    }
}

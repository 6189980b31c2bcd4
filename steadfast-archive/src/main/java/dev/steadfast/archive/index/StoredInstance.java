package dev.steadfast.archive.index;

/** An instance row with its place in the hierarchy. */
public record StoredInstance(long id, long seriesId, String seriesUid, String studyUid, InstanceRecord record) {
}

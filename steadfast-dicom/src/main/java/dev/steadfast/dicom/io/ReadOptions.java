package dev.steadfast.dicom.io;

import java.nio.file.Path;

/**
 * How much to read and how much to trust. Defaults suit reading a whole file into memory
 * with limits against hostile lengths and nesting.
 *
 * @param stopBeforeTag   stop at the first top-level element whose tag is at or after this one
 *                        (unsigned compare), leaving it unread; 0 reads to the end
 * @param bulkDataThreshold binary values (OB, OW, OF, OD, OL, OV, UN) and fragments at least this
 *                        long stay on disk as {@link dev.steadfast.dicom.BulkData} when the source is
 *                        a file; -1 loads everything
 * @param maxValueLength  longest single value accepted, in bytes
 * @param maxDepth        deepest sequence nesting accepted
 */
public record ReadOptions(int stopBeforeTag, long bulkDataThreshold, long maxValueLength, int maxDepth) {

    public static final long DEFAULT_MAX_VALUE_LENGTH = 0x7FFF_FFF0L;
    public static final int DEFAULT_MAX_DEPTH = 64;
    /** Each level costs a few stack frames; beyond this a small thread stack could overflow. */
    public static final int MAX_DEPTH_LIMIT = 512;

    public static final ReadOptions DEFAULT = new ReadOptions(0, -1, DEFAULT_MAX_VALUE_LENGTH, DEFAULT_MAX_DEPTH);

    public ReadOptions {
        if (maxDepth < 1 || maxDepth > MAX_DEPTH_LIMIT || maxValueLength < 0) {
            throw new IllegalArgumentException("maxDepth must be 1.." + MAX_DEPTH_LIMIT + " and maxValueLength >= 0");
        }
    }

    /** Everything before Pixel Data: what ingest and indexing need. */
    public static ReadOptions headerOnly() {
        return DEFAULT.withStopBeforeTag(0x7FE00010);
    }

    public ReadOptions withStopBeforeTag(int tag) {
        return new ReadOptions(tag, bulkDataThreshold, maxValueLength, maxDepth);
    }

    public ReadOptions withBulkDataThreshold(long threshold) {
        return new ReadOptions(stopBeforeTag, threshold, maxValueLength, maxDepth);
    }

    public ReadOptions withMaxValueLength(long max) {
        return new ReadOptions(stopBeforeTag, bulkDataThreshold, max, maxDepth);
    }

    public ReadOptions withMaxDepth(int depth) {
        return new ReadOptions(stopBeforeTag, bulkDataThreshold, maxValueLength, depth);
    }
}

package dev.steadfast.archive.storage.replica;

/**
 * Tuning of {@link ReplicatedStorage}, with defaults that suit instances from KB to GB.
 *
 * @param chunkSize           bytes handed to the targets at a time (default 64 KiB)
 * @param pipeChunks          chunks buffered per target, so one slow target does not stall the rest (default 16)
 * @param writeTimeoutMillis  a target that takes no data for this long is dropped from the write (default 30 s)
 * @param verifyInMemoryBytes reads are verified against the recorded SHA-256 before the first byte is
 *                            served; objects up to this size are verified in memory, larger ones
 *                            through a temporary file (default 32 MiB)
 */
public record ReplicaOptions(int chunkSize, int pipeChunks, long writeTimeoutMillis, long verifyInMemoryBytes) {
    public static final ReplicaOptions DEFAULT = new ReplicaOptions(64 * 1024, 16, 30_000, 32L * 1024 * 1024);

    public ReplicaOptions {
        if (chunkSize < 1 || pipeChunks < 1 || writeTimeoutMillis < 1 || verifyInMemoryBytes < 0) {
            throw new IllegalArgumentException("replica options must be positive");
        }
    }
}

package dev.steadfast.archive.admin;

import dev.steadfast.archive.index.Index;

/** What the index holds, counted in one read transaction. */
public final class ArchiveStatistics {
    private final Index index;

    public ArchiveStatistics(Index index) {
        this.index = index;
    }

    /**
     * @param bytes the stored size of every indexed instance (one copy; targets hold one each)
     */
    public record Counts(long patients, long studies, long series, long instances, long bytes) {
    }

    public Counts count() {
        return index.read(tx -> new Counts(tx.patients().count(), tx.studies().count(), tx.series().count(),
                tx.instances().count(), tx.instances().totalBytes()));
    }
}

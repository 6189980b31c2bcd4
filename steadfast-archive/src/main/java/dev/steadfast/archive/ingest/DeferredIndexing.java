package dev.steadfast.archive.ingest;

import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.index.InstanceRecord;

import java.io.IOException;

/**
 * Where ingest sends instances it cannot index now: their bytes already meet the write policy,
 * so they are recorded durably here and indexed, in order, when the index database returns
 * (the ingest journal). Without one, an index failure fails the store.
 */
public interface DeferredIndexing {

    /** True while new instances must be deferred: the index is down or earlier ones still wait. */
    boolean deferring();

    /** The index failed under live ingest: defer from now on until it is back and caught up. */
    void indexFailed(IndexException e);

    /**
     * Durably records an instance for indexing later (its header travels in
     * {@link InstanceRecord#metadata()}); returns once the record survives a crash.
     */
    void defer(InstanceRecord record) throws IOException;
}

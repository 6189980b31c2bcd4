package dev.steadfast.archive.query;

import dev.steadfast.dicom.Dataset;

import java.util.List;
import java.util.function.Supplier;

/**
 * Another archive asked the same query (issue 17: the edge asks its central archive), so C-FIND and
 * QIDO-RS list studies held only there too. The engine starts the question before matching locally
 * and takes the answer after, so a silent peer costs at most its own time limit, never the local
 * answers.
 */
public interface RemoteQuery {
    /**
     * Starts asking; the supplier waits at most the configured time for the peer's matches, as data
     * sets of (at least) the requested keys, and gives none when the peer could not answer in time.
     */
    Supplier<List<Dataset>> ask(QueryRequest request);
}

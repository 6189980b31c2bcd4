package dev.steadfast.archive.retrieve;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.ingest.StoredObjects;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageEntry;
import dev.steadfast.archive.storage.StorageKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds instances in storage alone, for when the index is down: storage keys derive from the
 * Study, Series and SOP Instance UIDs, so a request that names its study (as WADO, WADO-URI
 * and hierarchical C-MOVE/C-GET do) is answered by listing that study's objects.
 */
final class StorageLocator {
    private static final Logger log = LoggerFactory.getLogger(StorageLocator.class);

    private StorageLocator() {}

    static List<StoredInstance> locate(Storage storage, RetrieveRequest request) throws IOException {
        if (request.studyUid() == null) {
            log.warn("index down: a retrieve that does not name its study cannot be answered from storage");
            return List.of();
        }
        List<String> prefixes = new ArrayList<>();
        if (request.seriesUids().isEmpty()) {
            prefixes.add(parent(parent(StorageKey.of(request.studyUid(), "1", "1").path())));
        } else {
            for (String series : request.seriesUids()) {
                prefixes.add(parent(StorageKey.of(request.studyUid(), series, "1").path()));
            }
        }
        Set<String> wanted = new HashSet<>();
        for (String sop : request.sopInstanceUids()) {
            for (String series : request.seriesUids()) {
                wanted.add(StorageKey.of(request.studyUid(), series, sop).path());
            }
        }
        List<StoredInstance> out = new ArrayList<>();
        for (String prefix : prefixes) {
            List<StorageEntry> entries;
            try (Stream<StorageEntry> s = storage.list(prefix)) {
                entries = s.sorted(Comparator.comparing(e -> e.key().path())).toList();
            }
            for (StorageEntry e : entries) {
                if (!request.sopInstanceUids().isEmpty() && !wanted.isEmpty() && !wanted.contains(e.key().path())) {
                    continue;
                }
                StoredInstance i = read(storage, e);
                if (i != null && (request.sopInstanceUids().isEmpty()
                        || request.sopInstanceUids().contains(i.record().sopUid()))) {
                    out.add(i);
                }
            }
        }
        return out;
    }

    private static StoredInstance read(Storage storage, StorageEntry e) {
        try (InputStream in = storage.open(e.key())) {
            String sha = storage.recordedSha256(e.key()).orElse(null);
            StoredObjects.Parsed p = StoredObjects.readHeader(e.key(), in, e.size(), sha, e.lastModifiedMillis());
            return new StoredInstance(-1, -1, p.seriesUid(), p.studyUid(), p.record());
        } catch (IOException | RuntimeException ex) {
            log.warn("cannot read {} from storage: {}", e.key(), ex.toString());
            return null;
        }
    }

    /** {@code a/b/c} → {@code a/b/} */
    private static String parent(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.substring(0, p.lastIndexOf('/') + 1);
    }
}

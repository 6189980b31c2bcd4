package dev.steadfast.archive.journal;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.index.InstanceRecord;
import dev.steadfast.archive.ingest.IndexWriter;
import dev.steadfast.archive.ingest.Metadata;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One node's journal folder: its entries in append order and the replay of one of them into the
 * index. Whoever replays a folder (its node, or another node draining a dead node's folder) holds
 * the folder's owner lock ({@link IngestJournal}), so one folder is replayed by one node at a time,
 * in order.
 */
final class JournalFolder {
    private static final Logger log = LoggerFactory.getLogger(JournalFolder.class);
    static final String SUFFIX = ".entry";
    /** Held by the folder's node while it runs, and by a node draining it while the owner is gone. */
    static final String OWNER_LOCK = ".owner.lock";

    /** What became of one entry. */
    enum Replayed {
        /** In the index now (or already was): the entry is deleted. */
        INDEXED,
        /** Its object was since replaced by a later store, or its study deleted: the entry is deleted. */
        SUPERSEDED,
        /** Unreadable or refused by the index for good: moved to {@code failed/}. */
        QUARANTINED,
        /** The index is (still) unreachable: the entry stays, replay stops here. */
        INDEX_DOWN
    }

    final Path dir;

    JournalFolder(Path dir) {
        this.dir = dir;
    }

    List<Path> entries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
    }

    /** The highest sequence number among the entries set aside in {@code failed/}; 0 when none. */
    long lastFailedSeq() throws IOException {
        Path failed = dir.resolve("failed");
        if (!Files.isDirectory(failed)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(failed)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}\\" + SUFFIX))
                    .mapToLong(n -> Long.parseLong(n.substring(0, 20))).max().orElse(0);
        }
    }

    /** Removes the temporary files of appends that crashed: those were never acknowledged. */
    void deleteTemporary() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static long seq(Path entry) {
        String n = entry.getFileName().toString();
        return Long.parseLong(n.substring(0, n.length() - SUFFIX.length()));
    }

    /**
     * Indexes one entry ({@link IndexWriter}, idempotent) under the instance's cluster-wide claim,
     * then deletes it: a replay cut short after the commit and run again (by this node or another)
     * changes nothing.
     */
    Replayed replay(Path entry, Index index, Storage storage) {
        InstanceRecord record;
        try {
            record = JournalEntry.decode(Files.readAllBytes(entry));
        } catch (IOException e) {
            return quarantine(entry, e);
        }
        try {
            if (superseded(record, storage)) {
                log.info("journal entry {} describes bytes since replaced in storage by a later store; dropped",
                        entry.getFileName());
                delete(entry);
                return Replayed.SUPERSEDED;
            }
            String studyPrefix = record.storageKey().substring(0, record.storageKey().indexOf('/') + 1);
            Optional<Optional<InstanceRecord>> written = index.write(tx -> {
                tx.lockInstance(record.sopUid()); // never interleaved with another node's live ingest of it
                if (tx.deletions().deletedAt(studyPrefix) >= record.receivedAt()) {
                    return Optional.empty(); // its study was deleted after it arrived (on any node)
                }
                try {
                    return Optional.of(IndexWriter.record(tx, Metadata.decode(record.metadata()), record));
                } catch (IOException e) {
                    throw new IllegalStateException("undecodable metadata in journal entry", e);
                }
            });
            delete(entry);
            if (written.isEmpty()) {
                log.info("journal entry {} belongs to a study deleted since; dropped", entry.getFileName());
                return Replayed.SUPERSEDED;
            }
            Optional<InstanceRecord> movedAway = written.get();
            if (movedAway.isPresent()) {
                storage.delete(new StorageKey(movedAway.get().storageKey()));
            }
            return Replayed.INDEXED;
        } catch (IndexException e) {
            if (e.isTransient()) {
                return Replayed.INDEX_DOWN; // still down: try again later, in order
            }
            return quarantine(entry, e);
        } catch (IOException | RuntimeException e) {
            return quarantine(entry, e);
        }
    }

    /**
     * The object at the entry's key carries another recorded digest: a later store (on this or
     * another node) replaced it, and indexing this entry would describe bytes no longer stored.
     * Targets that record no digest cannot tell; then the entry is indexed as before.
     */
    private static boolean superseded(InstanceRecord record, Storage storage) {
        try {
            StorageKey key = new StorageKey(record.storageKey());
            Optional<String> recorded = storage.recordedSha256(key);
            if (recorded.isEmpty() || recorded.get().equals(record.sha256())) {
                return false;
            }
            // Replaced by bytes a crash left unrecorded, its own still kept aside: indexed, then put back (issue 14).
            for (dev.steadfast.archive.storage.PreviousCopy kept : storage.previousCopies(key)) {
                if (record.sha256().equals(kept.sha256())) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The object digests of this folder's entries for {@code storageKey}. */
    java.util.Set<String> digestsOf(String storageKey) throws IOException {
        java.util.Set<String> found = new java.util.HashSet<>();
        for (Path entry : entries()) {
            try {
                InstanceRecord r = JournalEntry.decode(Files.readAllBytes(entry));
                if (r.storageKey().equals(storageKey)) {
                    found.add(r.sha256());
                }
            } catch (IOException e) {
                // replayed meanwhile, or undecodable (replay quarantines it)
            }
        }
        return found;
    }

    void delete(Path entry) throws IOException {
        Files.delete(entry);
        syncDir();
    }

    private Replayed quarantine(Path entry, Exception why) {
        try {
            Path failed = Files.createDirectories(dir.resolve("failed"));
            Files.move(entry, failed.resolve(entry.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            log.error("journal entry {} cannot be indexed and was moved to {} (the instance is in storage;"
                    + " reindex picks it up): {}", entry.getFileName(), failed, why.toString());
        } catch (IOException e) {
            log.error("cannot move the failed journal entry {}: {}", entry, e.toString());
        }
        return Replayed.QUARANTINED;
    }

    void syncDir() throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}

package dev.steadfast.archive.admin;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.InstanceRecord;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.journal.IngestJournal;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletes a whole study, in an order that never lets it come back:
 * <ol>
 * <li>the deletion is recorded first (who, when, why, the UIDs; no patient data): the audit
 *     record is also the tombstone that scrub, repair and reindex consult, so a copy a target
 *     still holds (it was down) is removed instead of copied back or indexed again;</li>
 * <li>instances still waiting in the ingest journal are dropped, so a replay cannot index them;</li>
 * <li>every copy is deleted from every storage target (a target that cannot be reached keeps its
 *     copy until scrub removes it);</li>
 * <li>the index rows go, and the record is marked complete.</li>
 * </ol>
 * Storage goes before the index: a crash in between leaves the study listed with missing files,
 * and deleting it again finishes the job; the opposite order would leave unlisted files behind.
 */
public final class StudyDeletion {
    private static final Logger log = LoggerFactory.getLogger(StudyDeletion.class);

    private final Index index;
    private final Storage storage;
    private final IngestJournal journal;
    private final boolean immutable;
    private final Clock clock;
    /** Where copies that could not be deleted now go to be finished later (a durable cluster job), or none. */
    private volatile java.util.function.Consumer<List<String>> leftovers = keys -> { };

    /**
     * @param journal   the ingest journal, or null when there is none
     * @param immutable whether any storage target is immutable: deletions are then refused
     */
    public StudyDeletion(Index index, Storage storage, IngestJournal journal, boolean immutable, Clock clock) {
        this.index = index;
        this.storage = storage;
        this.journal = journal;
        this.immutable = immutable;
        this.clock = clock;
    }

    /**
     * Hands the storage keys a deletion could not remove to {@code finisher} (issue 15: a durable
     * job that retries until they are gone, on whichever node is up), instead of leaving them to
     * the next scrub alone.
     */
    public StudyDeletion finishLeftoversWith(java.util.function.Consumer<List<String>> finisher) {
        this.leftovers = finisher;
        return this;
    }

    /**
     * What a deletion removed.
     *
     * @param storageFailures keys some target could not delete now (scrub removes them later)
     */
    public record Result(String studyUid, List<String> seriesUids, List<String> sopUids, long bytes, long deletedAt,
                         int storageFailures) {
    }

    /**
     * @throws StudyNotFoundException   when the archive has no such study
     * @throws DeletionRefusedException when storage is immutable (nothing is changed)
     */
    public Result delete(String studyUid, String who, String reason) throws IOException {
        if (immutable) {
            throw new DeletionRefusedException("storage is immutable (storage.immutable or an immutable target):"
                    + " studies cannot be deleted");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason is required");
        }
        String prefix = StorageKey.studyPrefix(studyUid);
        List<StoredInstance> indexed = index.read(tx -> tx.instances().ofStudy(studyUid));
        List<InstanceRecord> journaled = journal == null ? List.of() : journal.discard(prefix);
        if (indexed.isEmpty() && journaled.isEmpty()) {
            throw new StudyNotFoundException(studyUid);
        }
        Map<String, InstanceRecord> instances = new LinkedHashMap<>();
        Set<String> series = new LinkedHashSet<>();
        for (StoredInstance s : indexed) {
            instances.put(s.record().sopUid(), s.record());
            series.add(s.seriesUid());
        }
        journaled.forEach(r -> instances.putIfAbsent(r.sopUid(), r));
        long bytes = instances.values().stream().mapToLong(InstanceRecord::size).sum();
        List<String> sops = List.copyOf(instances.keySet());
        List<String> seriesUids = List.copyOf(series);
        long at = clock.millis();
        long id = index.write(tx -> {
            long recorded = tx.deletions().record(studyUid, prefix, at, who, reason.strip(), seriesUids, sops, bytes);
            tx.events().studyDeleted(tx, studyUid, reason.strip()); // the tombstone travels (forwarding), same transaction
            return recorded;
        });

        Set<String> keys = new LinkedHashSet<>();
        instances.values().forEach(r -> keys.add(r.storageKey()));
        List<String> left = deleteCopies(storage, keys);
        int failures = left.size();
        long done = clock.millis();
        index.write(tx -> {
            tx.deletions().removeStudy(studyUid);
            tx.deletions().completed(id, done);
            return null;
        });
        // Only once the rows are gone: the finishing job leaves alone a key that is still indexed (re-sent).
        if (!left.isEmpty()) {
            try {
                leftovers.accept(left);
            } catch (RuntimeException e) {
                log.warn("could not queue the {} copies left of study {} for a later delete (scrub removes them): {}",
                        left.size(), studyUid, e.toString());
            }
        }
        // UIDs only: the audit trail must not carry patient data into the logs.
        log.info("AUDIT study {} deleted by {} (reason: {}): {} series, {} instances, {} bytes{}", studyUid, who,
                oneLine(reason), seriesUids.size(), sops.size(), bytes,
                failures == 0 ? "" : "; " + failures + " copies left for scrub to remove");
        return new Result(studyUid, seriesUids, sops, bytes, at, failures);
    }

    /** Deletes every key from storage; returns the keys some target could not delete now. */
    public static List<String> deleteCopies(Storage storage, java.util.Collection<String> keys) {
        List<String> left = new ArrayList<>();
        for (String key : keys) {
            try {
                storage.delete(new StorageKey(key));
            } catch (IOException | RuntimeException e) {
                left.add(key);
                log.warn("could not delete {} now (retried later): {}", key, e.toString());
            }
        }
        return left;
    }

    /** The deletions recorded for a study, oldest first (the audit trail). */
    public List<dev.steadfast.archive.index.DeletionRepository.Deletion> history(String studyUid) {
        return new ArrayList<>(index.read(tx -> tx.deletions().ofStudy(studyUid)));
    }

    private static String oneLine(String s) {
        return s.strip().replaceAll("[\\r\\n\\t]+", " ");
    }
}

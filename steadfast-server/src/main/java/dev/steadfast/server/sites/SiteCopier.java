package dev.steadfast.server.sites;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.ingest.IngestException;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.sites.Inventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Copies one instance from the peer site into this archive: WADO-RS into a temporary file, its
 * SHA-256 checked against the peer's inventory, then the normal ingest path (fsync'd, indexed,
 * duplicates recognised), then the stored data set's SHA-256 checked against the peer's. Used by
 * reconcile and by fallback retrieve.
 */
public final class SiteCopier {
    /** The calling AE recorded with instances that came from the peer site. */
    static final String SOURCE = "PEER-SITE";

    private final PeerClient peer;
    private final IngestService ingest;
    private final Index index;
    private final Path temporary;
    private final dev.steadfast.archive.audit.AccessAudit audit;

    /**
     * @param temporary folder for the fetched bytes until ingest has them (created when missing)
     * @param audit     where each instance received from the peer is recorded, as a C-STORE would be
     */
    public SiteCopier(PeerClient peer, IngestService ingest, Index index, Path temporary, dev.steadfast.archive.audit.AccessAudit audit) {
        this.audit = audit;
        this.peer = peer;
        this.ingest = ingest;
        this.index = index;
        this.temporary = temporary;
    }

    public PeerClient peer() {
        return peer;
    }

    /** Fetches, verifies and stores one instance the peer's inventory listed. */
    public void fetch(String study, String series, Inventory.Entry e) throws IOException {
        Files.createDirectories(temporary);
        Path file = Files.createTempFile(temporary, "peer-", ".dcm");
        try {
            peer.fetch(study, series, e.sopUid(), e.sha256(), file);
            try (InputStream in = Files.newInputStream(file)) {
                // The peer's Source AE again: both sites then write the same File Meta Information, so the
                // copies are bit for bit the same (same SHA-256), and a lost file can be restored from the other.
                var stored = ingest.storePart10(in, sourceAe(file));
                audit.stored(new dev.steadfast.archive.audit.AuditEvents.Actor(SOURCE, peer.base().getHost()), stored);
            } catch (IngestException x) {
                throw new IOException("storing " + e.sopUid() + " from the peer site: " + x.getMessage(), x);
            }
            Optional<StoredInstance> stored = index.read(tx -> tx.instances().find(e.sopUid()));
            // Journaled (index down) is acknowledged and durable too; only a visible mismatch is an error.
            if (stored.isPresent() && e.datasetSha256() != null && !e.datasetSha256().equals(stored.get().record().datasetSha256())) {
                throw new IOException(e.sopUid() + " is held here with other data set bytes than the peer's (ingest.duplicates kept the first)");
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Puts the peer's copy of an instance whose index row is here but whose object is gone back
     * under its key, if the peer's bytes have exactly the SHA-256 the row records; false when they
     * do not (the peer wrote other file bytes) or the peer does not have it.
     */
    public boolean restore(StoredInstance lost, dev.steadfast.archive.storage.Storage storage) throws IOException {
        Files.createDirectories(temporary);
        Path file = Files.createTempFile(temporary, "peer-", ".dcm");
        try {
            peer.fetch(lost.studyUid(), lost.seriesUid(), lost.record().sopUid(), lost.record().sha256(), file);
            try (InputStream in = Files.newInputStream(file)) {
                storage.put(new dev.steadfast.archive.storage.StorageKey(lost.record().storageKey()), in);
            }
            return true;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String sourceAe(Path file) {
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
            String ae = dev.steadfast.dicom.io.DicomReader.readFileMeta(in).attributes()
                    .getString(dev.steadfast.dicom.Tag.SourceApplicationEntityTitle);
            return ae == null || ae.isBlank() ? SOURCE : ae.strip();
        } catch (IOException | RuntimeException e) {
            return SOURCE; // ingest reports what is wrong with the file itself
        }
    }
}

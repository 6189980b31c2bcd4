package dev.steadfast.archive.ingest;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.storage.StoredObject;
import dev.steadfast.archive.storage.replica.ReplicaOptions;
import dev.steadfast.archive.storage.replica.ReplicatedStorage;
import dev.steadfast.archive.storage.replica.Target;
import dev.steadfast.archive.storage.replica.WritePolicy;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19: the index statements run while an instance's storage commit is in flight and the transaction
 * commits after it. A storage commit that hangs (a stalled S3 upload, a dying disk) must not hold the index's
 * write: other instances keep being stored and acknowledged meanwhile, and the slow one is recorded once its
 * commit ends, with its bytes. Through the replicated storage serve builds, over a filesystem target whose
 * commit is held (the fault), on SQLite (one writer).
 */
class Issue19SlowStorageCommitTest {
    @TempDir
    Path dir;
    private Index index;
    private ReplicatedStorage storage;
    private IngestService ingest;
    private final HeldCommits held = new HeldCommits();

    @BeforeEach
    void open() throws Exception {
        index = Index.open(IndexConfig.sqlite(dir.resolve("index.db")));
        held.delegate = new FileSystemStorage(dir.resolve("fs"));
        storage = new ReplicatedStorage(List.of(Target.of("fs", held)), WritePolicy.ALL, ReplicaOptions.DEFAULT);
        ingest = new IngestService(storage, index, IngestConfig.DEFAULT);
    }

    @AfterEach
    void close() {
        held.release.countDown();
        storage.close();
        index.close();
    }

    @Test
    void aHungStorageCommitDoesNotStopOtherInstancesFromBeingStored() throws Exception {
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        byte[] first = instance(study, series, Synthetic.uid());
        ingest.store(new ByteArrayInputStream(first), UID.ExplicitVRLittleEndian, "MOD"); // warm: folder made

        String slowUid = Synthetic.uid();
        byte[] slow = instance(study, series, slowUid);
        held.holdNext.set(true);
        CompletableFuture<StoreResult> slowStore = CompletableFuture.supplyAsync(() -> store(slow));
        assertThat(held.entered.await(30, TimeUnit.SECONDS)).as("the slow instance's commit reached storage").isTrue();

        // Others arrive meanwhile, on other lock stripes than the held one.
        for (int i = 0; i < 3; i++) {
            String uid = uidOnAnotherStripe(slowUid);
            byte[] other = instance(study, series, uid);
            StoreResult r = CompletableFuture.supplyAsync(() -> store(other)).get(30, TimeUnit.SECONDS);
            assertThat(find(uid)).as("another instance indexed while a commit hangs").isPresent();
            assertThat(r.sha256()).isEqualTo(find(uid).orElseThrow().record().sha256());
        }
        assertThat(slowStore).as("the held one is not acknowledged before its commit ends").isNotDone();
        assertThat(find(slowUid)).as("nor indexed").isEmpty();

        held.release.countDown();
        StoreResult r = slowStore.get(30, TimeUnit.SECONDS);
        StoredInstance row = find(slowUid).orElseThrow();
        assertThat(row.record().sha256()).isEqualTo(r.sha256());
        try (InputStream in = storage.open(r.key())) {
            assertThat(sha256(in.readAllBytes())).as("its stored bytes").isEqualTo(row.record().sha256());
        }
        assertThat((long) index.read(tx -> tx.instances().count())).isEqualTo(5);
    }

    private StoreResult store(byte[] bytes) {
        try {
            return ingest.store(new ByteArrayInputStream(bytes), UID.ExplicitVRLittleEndian, "MOD");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String uidOnAnotherStripe(String uid) {
        int stripe = Math.floorMod(uid.hashCode(), IngestService.LOCK_STRIPES);
        while (true) {
            String other = Synthetic.uid();
            if (Math.floorMod(other.hashCode(), IngestService.LOCK_STRIPES) != stripe) {
                return other;
            }
        }
    }

    private static byte[] instance(String study, String series, String sop) throws IOException {
        Dataset ds = Synthetic.instance("PAT-SLOW", "Slow^Commit", study, series, sop);
        return Synthetic.encode(ds);
    }

    private Optional<StoredInstance> find(String sopUid) {
        return index.read(tx -> tx.instances().find(sopUid));
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** A filesystem target whose next commit waits until released: the hung upload, as a fault. */
    private static final class HeldCommits implements Storage {
        FileSystemStorage delegate;
        final AtomicBoolean holdNext = new AtomicBoolean();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Staged stage(StorageKey key, InputStream in) throws IOException {
            Staged s = delegate.stage(key, in);
            if (!holdNext.compareAndSet(true, false)) {
                return s;
            }
            return new Staged() {
                @Override public StorageKey key() { return s.key(); }
                @Override public String sha256() { return s.sha256(); }
                @Override public long length() { return s.length(); }
                @Override public void close() throws IOException { s.close(); }

                @Override
                public StoredObject commit() throws IOException {
                    entered.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while held", e);
                    }
                    return s.commit();
                }
            };
        }

        @Override public InputStream open(StorageKey key) throws IOException { return delegate.open(key); }
        @Override public InputStream openRange(StorageKey key, long offset, long length) throws IOException {
            return delegate.openRange(key, offset, length);
        }
        @Override public boolean exists(StorageKey key) throws IOException { return delegate.exists(key); }
        @Override public boolean delete(StorageKey key) throws IOException { return delegate.delete(key); }
        @Override public Optional<String> recordedSha256(StorageKey key) throws IOException { return delegate.recordedSha256(key); }
        @Override public Optional<String> quickRecordedSha256(StorageKey key) { return delegate.quickRecordedSha256(key); }
        @Override public boolean recordsChecksums() { return delegate.recordsChecksums(); }
    }
}

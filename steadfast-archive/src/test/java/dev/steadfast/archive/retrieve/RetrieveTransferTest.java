package dev.steadfast.archive.retrieve;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.config.RetrieveConfig;
import dev.steadfast.archive.config.RetrieveConfig.Verify;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.storage.replica.ReplicaOptions;
import dev.steadfast.archive.storage.replica.ReplicatedStorage;
import dev.steadfast.archive.storage.replica.Target;
import dev.steadfast.archive.storage.replica.WritePolicy;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.UID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RetrieveEngine#transfer}, the path WADO-RS sends stored files by: once a copy has been
 * verified in full it is read from its file into a direct buffer and checked by CRC32C there; the
 * bytes are the stored ones, and a copy damaged afterwards never passes as good.
 */
class RetrieveTransferTest {
    @TempDir
    Path dir;
    private Index index;
    private FileSystemStorage a;
    private FileSystemStorage b;
    private ReplicatedStorage storage;
    private StoredInstance instance;
    private Path fileA;
    private byte[] original;

    @BeforeEach
    void store() throws Exception {
        index = Index.open(IndexConfig.sqlite(dir.resolve("index.db")));
        a = new FileSystemStorage(dir.resolve("a"));
        b = new FileSystemStorage(dir.resolve("b"));
        storage = new ReplicatedStorage(List.of(Target.of("a", a), Target.of("b", b)), WritePolicy.ALL, ReplicaOptions.DEFAULT);
        String study = Synthetic.uid();
        new IngestService(storage, index, IngestConfig.DEFAULT).store(new ByteArrayInputStream(Synthetic.encode(
                Synthetic.instance(Synthetic.uid(), "Tee^Tom", study, Synthetic.uid(), Synthetic.uid()))), UID.ExplicitVRLittleEndian, "CT1");
        instance = new RetrieveEngine(index, storage).locate(RetrieveRequest.study(study)).getFirst();
        fileA = a.pathOf(new StorageKey(instance.record().storageKey()));
        original = Files.readAllBytes(fileA);
    }

    @AfterEach
    void close() {
        storage.close();
        index.close();
    }

    @Test
    void theBytesAreTheStoredOnesOnTheFirstAndLaterReadsWhateverTheBufferSize() throws Exception {
        RetrieveEngine r = engine(Verify.FIRST_READ);
        for (int size : new int[] {1 << 20, 1000, 1}) {
            Sink first = new Sink();
            r.transfer(instance, ByteBuffer.allocateDirect(size), first);
            assertThat(first.bytes()).isEqualTo(original);
        }
    }

    @Test
    void aCopyDamagedAfterItWasVerifiedIsServedFromTheGoodReplicaInstead() throws Exception {
        RetrieveEngine r = engine(Verify.FIRST_READ);
        r.transfer(instance, ByteBuffer.allocateDirect(1 << 20), new Sink()); // verified, remembered
        flipLastBit(fileA);
        Sink sink = new Sink();
        r.transfer(instance, ByteBuffer.allocateDirect(1 << 20), sink);
        assertThat(sink.bytes()).isEqualTo(original);
    }

    @Test
    void aDamagedOnlyCopyThatFitsTheBufferIsRefusedBeforeAnyOfItIsWritten() throws Exception {
        RetrieveEngine r = engine(Verify.FIRST_READ);
        r.transfer(instance, ByteBuffer.allocateDirect(1 << 20), new Sink());
        flipLastBit(fileA);
        flipLastBit(b.pathOf(new StorageKey(instance.record().storageKey())));
        Sink sink = new Sink();
        // Both copies carry their SHA-256 beside them (xattrs) or not: either way nothing damaged passes.
        assertThatThrownBy(() -> r.transfer(instance, ByteBuffer.allocateDirect(1 << 20), sink)).isInstanceOf(IOException.class);
        assertThat(sink.bytes()).isNotEqualTo(damaged());
    }

    /** The stream path would write the last part too and fail only at its end: this one is the file path. */
    @Test
    void aDamagedCopyLargerThanTheBufferIsCutOffBeforeItsLastPart() throws Exception {
        RetrieveEngine r = new RetrieveEngine(index, a, new RetrieveConfig(Verify.FIRST_READ, 10));
        r.transfer(instance, ByteBuffer.allocateDirect(1 << 20), new Sink());
        flipLastBit(fileA);
        Sink sink = new Sink();
        assertThatThrownBy(() -> r.transfer(instance, ByteBuffer.allocateDirect(256), sink))
                .isInstanceOf(CorruptInstanceException.class).hasMessageContaining(instance.record().sopUid());
        assertThat(sink.bytes().length).isLessThan(original.length);
        assertThat(sink.bytes()).isEqualTo(java.util.Arrays.copyOf(original, sink.bytes().length));
    }

    /**
     * Issue 13: WADO-RS checks before it answers. A copy larger than the buffer, damaged on the first
     * replica after it was verified: the check falls over to the good replica (queuing the bad one),
     * and the send that follows reads the good replica whole instead of being cut off.
     */
    @Test
    void aCheckBeforeSendingFindsTheGoodReplicaOfALargeObjectAndTheSendUsesIt() throws Exception {
        RetrieveEngine r = engine(Verify.FIRST_READ);
        r.transfer(instance, ByteBuffer.allocateDirect(1 << 20), new Sink());
        flipLastBit(fileA);
        ByteBuffer small = ByteBuffer.allocateDirect(256);
        r.check(instance, small);
        assertThat(storage.pendingRepairs(storage.targets().get(0))).contains(new StorageKey(instance.record().storageKey()));
        Sink sink = new Sink();
        r.transfer(instance, small, sink);
        assertThat(sink.bytes()).isEqualTo(original);
    }

    @Test
    void aCheckRefusesADamagedOnlyCopyAndAMissingOneWithoutWritingAnything() throws Exception {
        for (Verify v : Verify.values()) {
            RetrieveEngine r = new RetrieveEngine(index, a, new RetrieveConfig(v, 10));
            r.check(instance, ByteBuffer.allocateDirect(256)); // good
        }
        RetrieveEngine firstRead = new RetrieveEngine(index, a, new RetrieveConfig(Verify.FIRST_READ, 10));
        flipLastBit(fileA);
        assertThatThrownBy(() -> firstRead.check(instance, ByteBuffer.allocateDirect(256))).isInstanceOf(CorruptInstanceException.class);
        Files.delete(fileA);
        RetrieveEngine never = new RetrieveEngine(index, a, new RetrieveConfig(Verify.NEVER, 10));
        assertThatThrownBy(() -> never.check(instance, ByteBuffer.allocateDirect(256))).isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void aTruncatedCopyIsRefused() throws Exception {
        RetrieveEngine r = new RetrieveEngine(index, a, new RetrieveConfig(Verify.FIRST_READ, 10));
        r.transfer(instance, ByteBuffer.allocateDirect(1 << 20), new Sink());
        Files.write(fileA, java.util.Arrays.copyOf(original, original.length - 1));
        assertThatThrownBy(() -> r.transfer(instance, ByteBuffer.allocateDirect(1 << 20), new Sink()))
                .isInstanceOf(CorruptInstanceException.class);
    }

    private RetrieveEngine engine(Verify v) {
        return new RetrieveEngine(index, storage, new RetrieveConfig(v, 10));
    }

    private byte[] damaged() {
        byte[] d = original.clone();
        d[d.length - 1] ^= 0x01;
        return d;
    }

    private void flipLastBit(Path file) throws IOException {
        byte[] d = Files.readAllBytes(file);
        d[d.length - 1] ^= 0x01;
        Files.write(file, d);
    }

    /** Collects what was written; each buffer is copied at once, as the caller reuses it. */
    private static final class Sink implements ByteSink {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        @Override
        public void write(ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            out.writeBytes(copy);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}

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
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.UID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code retrieve.verify} policies on a real SQLite index and filesystem storage: what each
 * one lets through when a stored copy changes after it was acknowledged.
 */
class ReadVerificationTest {
    @TempDir
    Path dir;
    private Index index;
    private FileSystemStorage storage;
    private StoredInstance instance;
    private Path file;
    private byte[] original;

    @BeforeEach
    void store() throws Exception {
        index = Index.open(IndexConfig.sqlite(dir.resolve("index.db")));
        storage = new FileSystemStorage(dir.resolve("storage"));
        String study = Synthetic.uid();
        new IngestService(storage, index, IngestConfig.DEFAULT).store(new ByteArrayInputStream(Synthetic.encode(
                Synthetic.instance(Synthetic.uid(), "Vee^Vera", study, Synthetic.uid(), Synthetic.uid()))), UID.ExplicitVRLittleEndian, "CT1");
        instance = new RetrieveEngine(index, storage).locate(RetrieveRequest.study(study)).getFirst();
        file = storage.pathOf(new StorageKey(instance.record().storageKey()));
        original = Files.readAllBytes(file);
    }

    @AfterEach
    void close() {
        index.close();
    }

    @Test
    void firstReadRefusesACopyDamagedBeforeItsFirstRead() throws Exception {
        RetrieveEngine r = engine(Verify.FIRST_READ, 10);
        flipLastBit();
        assertCorrupt(r);
    }

    @Test
    void firstReadRefusesACopyDamagedAfterItWasVerified() throws Exception {
        RetrieveEngine r = engine(Verify.FIRST_READ, 10);
        assertThat(readAll(r)).isEqualTo(original); // verified in full, remembered
        flipLastBit();
        assertCorrupt(r); // now checked by its CRC32C
        Files.write(file, java.util.Arrays.copyOf(original, original.length - 1));
        assertCorrupt(r); // truncated
        Files.write(file, original); // repaired from another copy
        assertThat(readAll(r)).isEqualTo(original);
    }

    @Test
    void alwaysAndFirstReadWithNothingRememberedCatchWhatTheCrcCannot() throws Exception {
        byte[] forged = sameCrc32cDifferentBytes(original);
        assertThat(forged).isNotEqualTo(original).hasSameSizeAs(original);

        RetrieveEngine firstRead = engine(Verify.FIRST_READ, 10);
        readAll(firstRead);
        Files.write(file, forged);
        // The documented limit: a change made to keep the CRC32C passes until the copy is verified in full again.
        assertThat(readAll(firstRead)).isEqualTo(forged);
        assertThatThrownBy(() -> firstRead.verifyFully(instance)).isInstanceOf(CorruptInstanceException.class);

        Files.write(file, original);
        RetrieveEngine always = engine(Verify.ALWAYS, 10);
        RetrieveEngine forgetful = engine(Verify.FIRST_READ, 0);
        readAll(always);
        readAll(forgetful);
        Files.write(file, forged);
        assertCorrupt(always);
        assertCorrupt(forgetful);
    }

    @Test
    void neverServesTheBytesAsTheyAreButVerifyFullyStillChecks() throws Exception {
        RetrieveEngine r = engine(Verify.NEVER, 10);
        flipLastBit();
        assertThat(readAll(r)).isEqualTo(Files.readAllBytes(file));
        assertThatThrownBy(() -> r.verifyFully(instance)).isInstanceOf(CorruptInstanceException.class)
                .hasMessageContaining(instance.record().sopUid());
    }

    @Test
    void singleByteReadsAndSkipsAreCheckedToo() throws Exception {
        RetrieveEngine r = engine(Verify.FIRST_READ, 10);
        readAll(r);
        flipLastBit();
        assertThatThrownBy(() -> {
            try (InputStream in = r.open(instance)) {
                in.skip(original.length - 2);
                while (in.read() >= 0) {
                    // through to the end
                }
            }
        }).isInstanceOf(CorruptInstanceException.class);
    }

    private RetrieveEngine engine(Verify v, int remembered) {
        return new RetrieveEngine(index, storage, new RetrieveConfig(v, remembered));
    }

    private byte[] readAll(RetrieveEngine r) throws IOException {
        try (InputStream in = r.open(instance)) {
            return in.readAllBytes();
        }
    }

    private void assertCorrupt(RetrieveEngine r) {
        assertThatThrownBy(() -> readAll(r)).isInstanceOf(CorruptInstanceException.class)
                .hasMessageContaining(instance.record().sopUid());
    }

    private void flipLastBit() throws IOException {
        byte[] b = original.clone();
        b[b.length - 1] ^= 0x01;
        Files.write(file, b);
    }

    /**
     * The same length and CRC32C, other bytes: flip a byte in the pixel data, then solve for the 4
     * bytes after it that restore the CRC (it is linear over GF(2), so 32 unknown bits, 32 equations).
     */
    static byte[] sameCrc32cDifferentBytes(byte[] in) {
        int at = in.length - 8;
        byte[] out = in.clone();
        out[at - 1] ^= 0x5A;
        int target = crc(in) ^ crc(out); // what the 4 bytes must change back
        int[] columns = new int[32]; // the CRC change of flipping each bit of out[at..at+3]
        for (int bit = 0; bit < 32; bit++) {
            byte[] probe = out.clone();
            probe[at + bit / 8] ^= (byte) (1 << (bit % 8));
            columns[bit] = crc(out) ^ crc(probe);
        }
        int solution = solve(columns, target);
        for (int bit = 0; bit < 32; bit++) {
            if ((solution >>> bit & 1) != 0) {
                out[at + bit / 8] ^= (byte) (1 << (bit % 8));
            }
        }
        if (crc(out) != crc(in)) {
            throw new IllegalStateException("no CRC-preserving change found");
        }
        return out;
    }

    /** x with XOR of columns[i] over the set bits i of x equal to target (Gaussian elimination over GF(2)). */
    private static int solve(int[] columns, int target) {
        int[] rows = columns.clone(); // row i: the combination columns[combo[i]] it stands for
        int[] combo = new int[32];
        for (int i = 0; i < 32; i++) {
            combo[i] = 1 << i;
        }
        int rank = 0;
        int[] pivotBit = new int[32];
        for (int bit = 31; bit >= 0 && rank < 32; bit--) {
            int p = -1;
            for (int i = rank; i < 32; i++) {
                if ((rows[i] >>> bit & 1) != 0) {
                    p = i;
                    break;
                }
            }
            if (p < 0) {
                continue;
            }
            int t = rows[p]; rows[p] = rows[rank]; rows[rank] = t;
            t = combo[p]; combo[p] = combo[rank]; combo[rank] = t;
            for (int i = 0; i < 32; i++) {
                if (i != rank && (rows[i] >>> bit & 1) != 0) {
                    rows[i] ^= rows[rank];
                    combo[i] ^= combo[rank];
                }
            }
            pivotBit[rank++] = bit;
        }
        int x = 0;
        int left = target;
        for (int i = 0; i < rank; i++) {
            if ((left >>> pivotBit[i] & 1) != 0) {
                left ^= rows[i];
                x ^= combo[i];
            }
        }
        if (left != 0) {
            throw new IllegalStateException("not solvable");
        }
        return x;
    }

    private static int crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }
}

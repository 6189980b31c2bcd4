package dev.steadfast.dicom.io;

import dev.steadfast.dicom.DicomParseException;
import dev.steadfast.dicom.UID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import static dev.steadfast.dicom.io.ParseOutcome.expectParseException;
import static dev.steadfast.dicom.io.ParseOutcome.fromFile;
import static dev.steadfast.dicom.io.ParseOutcome.fromStream;
import static dev.steadfast.dicom.io.ParseOutcome.unknownLength;
import static org.assertj.core.api.Assertions.assertThat;

/** Hand-made hostile inputs: each ends in a DicomParseException naming the problem, never an Error or a hang. */
class HostileInputTest {
    private static final int REFERENCED_SERIES_SEQUENCE = 0x00081115;
    private static final int PIXEL_DATA = 0x7FE00010;

    @TempDir
    Path tmp;

    /** SQ of undefined length holding an undefined-length item, {@code depth} times, never closed. */
    private static byte[] nestedSequences(int depth, boolean explicit) {
        HostileBytes b = new HostileBytes();
        for (int i = 0; i < depth; i++) {
            (explicit ? b.explicit(REFERENCED_SERIES_SEQUENCE, "SQ", HostileBytes.UNDEFINED)
                    : b.implicit(REFERENCED_SERIES_SEQUENCE, HostileBytes.UNDEFINED)).item(HostileBytes.UNDEFINED);
        }
        return b.bytes();
    }

    @ParameterizedTest(name = "explicit VR: {0}")
    @ValueSource(booleans = {true, false})
    void sequencesNestedTenThousandDeepAreRejectedAsTooDeep(boolean explicit) throws IOException {
        byte[] dataset = nestedSequences(10_000, explicit);
        String ts = explicit ? UID.ExplicitVRLittleEndian : UID.ImplicitVRLittleEndian;
        byte[] file = HostileBytes.part10(ts, dataset);

        assertThat(fromStream(file, ReadOptions.DEFAULT)).hasMessageContaining("nesting deeper than 64");
        assertThat(fromFile(tmp, file, ReadOptions.DEFAULT)).hasMessageContaining("nesting deeper than 64");
        assertThat(expectParseException("bare data set",
                () -> DicomReader.readDataset(new ByteArrayInputStream(dataset), ts)))
                .hasMessageContaining("nesting");
    }

    @Test
    void undefinedLengthUnSequencesNestedDeepAreRejectedAsTooDeep() throws IOException {
        // CP-246: a UN sequence of undefined length, whose content is implicit VR little endian.
        HostileBytes b = new HostileBytes().explicit(0x00091010, "UN", HostileBytes.UNDEFINED).item(HostileBytes.UNDEFINED);
        for (int i = 1; i < 10_000; i++) {
            b.implicit(0x00091010, HostileBytes.UNDEFINED).item(HostileBytes.UNDEFINED);
        }
        assertThat(fromStream(HostileBytes.part10(UID.ExplicitVRLittleEndian, b.bytes()), ReadOptions.DEFAULT))
                .hasMessageContaining("nesting");
    }

    /** A caller may raise the nesting cap; the parser must still not overflow the stack. */
    @Test
    void aRaisedNestingCapStillEndsInAParseExceptionNotAStackOverflow() {
        ReadOptions options;
        try {
            options = ReadOptions.DEFAULT.withMaxDepth(1_000_000);
        } catch (IllegalArgumentException capped) {
            return; // refusing a cap the parser cannot honour is a fix too
        }
        byte[] file = HostileBytes.part10(UID.ExplicitVRLittleEndian, nestedSequences(100_000, true));
        DicomParseException e = fromStream(file, options);
        assertThat(e.getMessage()).containsAnyOf("nesting", "end of stream");
    }

    @ParameterizedTest(name = "VR {0}")
    @ValueSource(strings = {"OB", "UT", "UN", "SQ"})
    void anElementClaimingFourGigabytesInAHundredByteStreamIsRejected(String vr) throws IOException {
        byte[] file = HostileBytes.part10(UID.ExplicitVRLittleEndian,
                new HostileBytes().explicit(0x00091010, vr, 0xFFFFFFF0L).bytes());
        byte[] hundred = new HostileBytes().raw(file).padTo(file.length + 100 - file.length % 100).bytes();

        assertThat(hundred.length % 100).isZero();

        // A file's size is known, so the length is refused before any byte of the value is read.
        assertThat(fromFile(tmp, hundred, ReadOptions.DEFAULT).getMessage())
                .contains("4294967280").containsAnyOf("remain", "over the limit");
        // A stream's is not: values hit the size cap, a sequence runs out of items.
        DicomParseException e = fromStream(hundred, ReadOptions.DEFAULT.withMaxValueLength(Long.MAX_VALUE));
        assertThat(e.offset()).isBetween(0L, (long) hundred.length);
        if (!vr.equals("SQ")) {
            assertThat(fromStream(hundred, ReadOptions.DEFAULT)).hasMessageContaining("4294967280");
        }
    }

    @Test
    void aBareImplicitDataSetClaimingFourGigabytesIsRejected() {
        byte[] dataset = new HostileBytes().implicit(0x00100010, 0xFFFFFFF0L).padTo(100).bytes();
        assertThat(expectParseException("bare", () -> DicomReader.readDataset(unknownLength(dataset),
                UID.ImplicitVRLittleEndian))).hasMessageContaining("4294967280");
    }

    @Test
    void hugeItemAndFragmentLengthsAreRejected() throws IOException {
        byte[] item = new HostileBytes().explicit(REFERENCED_SERIES_SEQUENCE, "SQ", HostileBytes.UNDEFINED)
                .item(0xFFFFFFF0L).padTo(100).bytes();
        byte[] fragment = new HostileBytes().explicit(PIXEL_DATA, "OB", HostileBytes.UNDEFINED)
                .item(0).item(0xFFFFFFF0L).padTo(100).bytes();
        for (byte[] dataset : new byte[][] {item, fragment}) {
            byte[] file = HostileBytes.part10("1.2.840.10008.1.2.4.50", dataset);
            assertThat(fromFile(tmp, file, ReadOptions.DEFAULT)).hasMessageContaining("4294967280");
            assertThat(fromStream(file, ReadOptions.DEFAULT).offset()).isBetween(0L, (long) file.length);
        }
    }

    @Test
    void anUndefinedLengthItemThatNeverEndsIsRejected() throws IOException {
        byte[] dataset = new HostileBytes().explicit(REFERENCED_SERIES_SEQUENCE, "SQ", HostileBytes.UNDEFINED)
                .item(HostileBytes.UNDEFINED)
                .explicit(0x00081150, "UI", 4).raw("1.2\0".getBytes())
                .bytes();
        byte[] file = HostileBytes.part10(UID.ExplicitVRLittleEndian, dataset);
        DicomParseException e = fromStream(file, ReadOptions.DEFAULT);
        assertThat(e).hasMessageContaining("end of stream");
        assertThat(e.offset()).isEqualTo(file.length);
        assertThat(fromFile(tmp, file, ReadOptions.DEFAULT).offset()).isEqualTo(file.length);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void randomBytesAreRejected(long seed) throws IOException {
        byte[] noise = new byte[4096];
        new Random(seed).nextBytes(noise);
        fromStream(noise, ReadOptions.DEFAULT);
        fromFile(tmp, noise, ReadOptions.DEFAULT);
        fromStream(HostileBytes.part10(UID.ExplicitVRLittleEndian, noise), ReadOptions.DEFAULT);
        fromStream(HostileBytes.part10(UID.ImplicitVRLittleEndian, noise), ReadOptions.DEFAULT);
        fromStream(HostileBytes.part10(UID.ExplicitVRBigEndian, noise), ReadOptions.DEFAULT);
    }

    @Test
    void anEmptyFileIsRejected() throws IOException {
        assertThat(fromFile(tmp, new byte[0], ReadOptions.DEFAULT)).hasMessageContaining("empty");
        assertThat(fromStream(new byte[0], ReadOptions.DEFAULT)).hasMessageContaining("empty");
    }

    @Test
    void aFileOf131BytesIsRejected() throws IOException {
        byte[] almostDicm = new HostileBytes().zeros(128).raw("DIC".getBytes()).bytes();
        assertThat(almostDicm).hasSize(131);
        DicomParseException e = fromFile(tmp, almostDicm, ReadOptions.DEFAULT);
        assertThat(e.offset()).isBetween(0L, 131L);
        assertThat(fromStream(almostDicm, ReadOptions.DEFAULT).offset()).isBetween(0L, 131L);
    }

    @Test
    void aDeflatedSyntaxWhoseBytesAreNotDeflateIsRejected() throws IOException {
        byte[] notDeflate = new HostileBytes().explicit(0x00100010, "PN", 4).raw("Doe^".getBytes()).padTo(64).bytes();
        Arrays.fill(notDeflate, 8, 64, (byte) 0xFF);
        byte[] file = HostileBytes.part10(UID.DeflatedExplicitVRLittleEndian, notDeflate);
        assertThat(fromStream(file, ReadOptions.DEFAULT)).hasMessageContaining("deflate");
        assertThat(fromFile(tmp, file, ReadOptions.DEFAULT)).hasMessageContaining("deflate");
        assertThat(expectParseException("bare", () -> DicomReader.readDataset(unknownLength(notDeflate),
                UID.DeflatedExplicitVRLittleEndian))).hasMessageContaining("deflate");
    }

    @Test
    void aDeflateStreamCutShortIsRejected() throws IOException {
        byte[] dataset = new HostileBytes().explicit(0x00100010, "PN", 4).raw("Doe^".getBytes())
                .explicit(0x00291010, "OB", 4000).zeros(4000).bytes();
        byte[] deflated = deflate(dataset);
        byte[] cut = Arrays.copyOf(deflated, deflated.length / 2);
        fromStream(HostileBytes.part10(UID.DeflatedExplicitVRLittleEndian, cut), ReadOptions.DEFAULT);
        fromFile(tmp, HostileBytes.part10(UID.DeflatedExplicitVRLittleEndian, cut), ReadOptions.DEFAULT);
    }

    /**
     * Deflate packs zeros about 1000:1, so a file of a few hundred kB can declare and really contain
     * a 256 MB value. Loading it breaks the bounded-heap promise as surely as a bogus length would.
     */
    @Test
    void aDeflateBombStaysWithinTheAllocationBudget() throws IOException {
        int valueLength = 256 << 20;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION, true))) {
            d.write(new HostileBytes().explicit(0x00420011, "OB", valueLength).bytes());
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < valueLength / zeros.length; i++) {
                d.write(zeros);
            }
        }
        byte[] file = HostileBytes.part10(UID.DeflatedExplicitVRLittleEndian, out.toByteArray());
        assertThat(file.length).isLessThan(valueLength / 500);

        Throwable outcome = ParseOutcome.outcome("deflate bomb", ParseOutcome.budgetFor(file.length),
                () -> DicomReader.read(unknownLength(file), ReadOptions.DEFAULT));
        assertThat(outcome).as("null or DicomParseException").satisfiesAnyOf(
                t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(DicomParseException.class));
    }

    private static byte[] deflate(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, true))) {
            d.write(bytes);
        }
        return out.toByteArray();
    }
}

package dev.steadfast.dicom.io;

import dev.steadfast.dicom.BulkData;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Fragments;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.TransferSyntax;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Large values left on disk as references still write back to the same bytes, and the header-only read stops before pixel data. */
class BulkDataReferenceTest {

    static List<Corpus.Entry> files() {
        return Corpus.wellFormed().stream()
                .filter(e -> !TransferSyntax.of(e.transferSyntaxUid()).deflated())
                .filter(e -> !e.name().equals("us/fo-dicom__DIRW0007.dcm") && !e.name().equals("mr/fo-dicom__GH1339.dcm"))
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void referencedBulkDataWritesBackIdentically(Corpus.Entry entry) throws Exception {
        byte[] file = Files.readAllBytes(entry.path());
        DicomFile df = DicomReader.readFile(entry.path(), ReadOptions.DEFAULT.withBulkDataThreshold(1024));
        byte[] original = Arrays.copyOfRange(file, (int) df.meta().datasetOffset(), file.length);
        assertThat(DicomWriter.encode(df.dataset(), df.transferSyntaxUid())).isEqualTo(original);
    }

    @Test
    void pixelDataOfACtStaysOnDiskAtItsOffset() throws Exception {
        Path ct = Corpus.root().resolve("ct/dicomParser__CT1_UNC.explicit_little_endian.dcm");
        DicomFile df = DicomReader.readFile(ct, ReadOptions.DEFAULT.withBulkDataThreshold(1024));
        Element pixels = df.dataset().get(Tag.PixelData);
        assertThat(pixels.value()).isInstanceOf(BulkData.class);
        BulkData bd = (BulkData) pixels.value();
        assertThat(bd.length()).isEqualTo(512 * 512 * 2);
        assertThat(bd.offset() + bd.length()).isLessThanOrEqualTo(Files.size(ct));
        assertThat(bd.readAll()).isEqualTo(DicomReader.readFile(ct).dataset().getBytes(Tag.PixelData));
    }

    @Test
    void fragmentsOfACompressedFileStayOnDisk() throws Exception {
        Path jpeg = Corpus.root().resolve("us/dicomParser__IM00001.fragmented_no_bot_jpeg_baseline.50.dcm");
        DicomFile df = DicomReader.readFile(jpeg, ReadOptions.DEFAULT.withBulkDataThreshold(64));
        Fragments f = df.dataset().getFragments(Tag.PixelData);
        assertThat(f.size()).isGreaterThan(1);
        assertThat(f.basicOffsetTable()).as("no BOT in this file").isEmpty();
        assertThat(f.get(1)).isInstanceOf(BulkData.class);
    }

    @Test
    void headerOnlyStopsBeforePixelDataAndLeavesTheRestUnread() throws Exception {
        Path ct = Corpus.root().resolve("ct/dicomParser__CT1_UNC.explicit_little_endian.dcm");
        byte[] file = Files.readAllBytes(ct);
        CountingStream in = new CountingStream(new ByteArrayInputStream(file));
        DicomFile df = DicomReader.read(in, ReadOptions.headerOnly());
        assertThat(df.dataset().contains(Tag.PixelData)).isFalse();
        assertThat(df.dataset().getString(Tag.Modality)).isEqualTo("CT");
        assertThat(df.dataset().getInt(Tag.Rows, 0)).isEqualTo(512);
        // It read the header (plus at most one buffer), not the 512 KiB of pixels.
        assertThat(in.count).isLessThan(file.length - 512 * 512 * 2 + 64 * 1024 + 1);
    }

    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            int n = super.read(b, off, Math.min(len, 8192));
            count += Math.max(n, 0);
            return n;
        }
    }

    /** Issue 14: from a stream, a bulk value is skipped (a reference without a file), never loaded, so no limit applies. */
    @Test
    void aStreamsBulkValueIsSkippedNotLoaded() throws Exception {
        dev.steadfast.dicom.Dataset ds = new dev.steadfast.dicom.Dataset();
        ds.setString(Tag.SOPInstanceUID, dev.steadfast.dicom.VR.UI, "1.2.3");
        ds.setBytes(0x00291010, dev.steadfast.dicom.VR.OB, new byte[4096]);
        ds.setString(0x00291011, dev.steadfast.dicom.VR.LO, "after");
        byte[] encoded = DicomWriter.encode(ds, dev.steadfast.dicom.UID.ExplicitVRLittleEndian);
        dev.steadfast.dicom.Dataset read = DicomReader.readDataset(new ByteArrayInputStream(encoded),
                dev.steadfast.dicom.UID.ExplicitVRLittleEndian,
                ReadOptions.headerOnly().withBulkDataThreshold(1025).withMaxValueLength(1024));
        BulkData bulk = (BulkData) read.get(0x00291010).value();
        assertThat(bulk.file()).isNull();
        assertThat(bulk.length()).isEqualTo(4096);
        assertThat(read.getString(0x00291011)).isEqualTo("after");
        org.assertj.core.api.Assertions.assertThatThrownBy(bulk::openStream).isInstanceOf(java.io.IOException.class);
    }
}

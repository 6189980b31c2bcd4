package dev.steadfast.imaging.jpeg.dct;

import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.imaging.ImageDescriptor;
import dev.steadfast.imaging.PixelData;
import dev.steadfast.imaging.PixelDataException;
import dev.steadfast.imaging.UnsupportedTransferSyntaxException;
import dev.steadfast.imaging.codec.Codecs;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Damaged and hostile JPEG streams end in a PixelDataException, with bounded memory and no hang. */
class DctDecoderHostileTest {
    static final String EXTENDED = "1.2.840.10008.1.2.4.51";
    static final String CT0012 = "ct/dicomParser__CT0012.fragmented_no_bot_jpeg_baseline.51.dcm";

    static byte[] twelveBitFrame() throws Exception {
        DicomFile f = DicomReader.readFile(Corpus.root().resolve(CT0012));
        return PixelData.of(f.dataset(), f.transferSyntaxUid()).storedFrame(0);
    }

    static byte[] eightBitWithRestarts() throws Exception {
        return JdkJpegStreams.encode(JdkJpegStreams.image(64, 48, true, 1), 2, 2, 2, 0.75f);
    }

    @Test
    void truncatedStreamsFailClearlyOrDecodeWhole() throws Exception {
        for (byte[] good : new byte[][] {twelveBitFrame(), eightBitWithRestarts()}) {
            int sos = indexOf(good, 0xDA, 0);
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                for (int cut = 0; cut < good.length; cut += Math.max(1, good.length / 200)) {
                    byte[] bad = Arrays.copyOf(good, cut);
                    try {
                        DctImage img = DctDecoder.decode(bad);
                        assertThat(cut).as("decoded a stream cut at %d of %d", cut, good.length).isGreaterThan(good.length - 8);
                        assertThat(img.samples()).hasSize(img.rows() * img.columns() * img.components());
                    } catch (PixelDataException expected) {
                        assertThat(expected.getMessage()).isNotBlank();
                    }
                }
            });
            assertThatThrownBy(() -> DctDecoder.decode(Arrays.copyOf(good, sos + (good.length - sos) / 2)))
                    .isInstanceOf(PixelDataException.class).hasMessageContaining("ends early");
        }
    }

    @Test
    void randomCorruptionNeverHangsOrEscapes() throws Exception {
        Random r = new Random(51);
        for (byte[] good : new byte[][] {twelveBitFrame(), eightBitWithRestarts()}) {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (int k = 0; k < 300; k++) {
                    byte[] bad = good.clone();
                    for (int j = 0; j < 1 + k % 6; j++) {
                        bad[2 + r.nextInt(bad.length - 2)] = (byte) r.nextInt(256);
                    }
                    try {
                        DctDecoder.decode(bad);
                    } catch (PixelDataException expected) {
                        // a clear error; anything else (index out of bounds, OOM) fails the test
                    }
                }
            });
        }
    }

    @Test
    void overfullHuffmanTableIsRefused() throws Exception {
        byte[] bad = twelveBitFrame();
        int dht = indexOf(bad, 0xC4, 0);
        int total = 0;
        for (int l = 1; l <= 16; l++) {
            total += bad[dht + 4 + l] & 0xFF;
            bad[dht + 4 + l] = 0;
        }
        bad[dht + 5] = (byte) total; // the same codes, all of length 1: only two can exist
        assertThatThrownBy(() -> DctDecoder.decode(bad)).isInstanceOf(PixelDataException.class)
                .hasMessageContaining("bad JPEG Huffman table");
    }

    @Test
    void hugeFramesAreRefusedBeforeAllocating() throws Exception {
        byte[] huge = twelveBitFrame();
        int sof = indexOf(huge, 0xC1, 0);
        huge[sof + 5] = (byte) 0xFF; // 65535 rows
        huge[sof + 6] = (byte) 0xFF;
        huge[sof + 7] = (byte) 0xFF; // 65535 columns
        huge[sof + 8] = (byte) 0xFF;
        assertThatThrownBy(() -> DctDecoder.decode(huge)).isInstanceOf(PixelDataException.class).hasMessageContaining("exceeds the limit");
        byte[] big = twelveBitFrame();
        big[sof + 5] = 0x3E; // 16000 x 16000: under the cap, but far more blocks than 40 KB can code
        big[sof + 6] = (byte) 0x80;
        big[sof + 7] = 0x3E;
        big[sof + 8] = (byte) 0x80;
        assertThatThrownBy(() -> DctDecoder.decode(big)).isInstanceOf(PixelDataException.class).hasMessageContaining("cannot fit");
    }

    @Test
    void missingRestartMarkersAreReported() throws Exception {
        byte[] good = eightBitWithRestarts();
        int rst = indexOf(good, 0xD0, indexOf(good, 0xDA, 0));
        ByteArrayOutputStream without = new ByteArrayOutputStream();
        without.write(good, 0, rst);
        without.write(good, rst + 2, good.length - rst - 2);
        assertThatThrownBy(() -> DctDecoder.decode(without.toByteArray())).isInstanceOf(PixelDataException.class)
                .hasMessageContaining("RST");
    }

    @Test
    void otherProcessesAndMissingTablesAreReported() throws Exception {
        byte[] progressive = twelveBitFrame();
        progressive[indexOf(progressive, 0xC1, 0) + 1] = (byte) 0xC2;
        assertThatThrownBy(() -> DctDecoder.decode(progressive)).isInstanceOf(PixelDataException.class).hasMessageContaining("SOF2");
        ImageDescriptor ct = new ImageDescriptor(512, 512, 1, 16, 12, 11, false, 0, "MONOCHROME2", 1);
        assertThatThrownBy(() -> Codecs.standard().get(EXTENDED).decode(progressive, ct))
                .isInstanceOf(UnsupportedTransferSyntaxException.class).hasMessageContaining("SOF2");

        byte[] noTables = twelveBitFrame();
        int dht = indexOf(noTables, 0xC4, 0);
        noTables[dht + 4] = 0x13; // the DC table becomes DC table 3, which the scan does not use
        assertThatThrownBy(() -> DctDecoder.decode(noTables)).isInstanceOf(PixelDataException.class).hasMessageContaining("not defined");
    }

    @Test
    void codestreamLargerThanTheDataSetSaysIsRefused() throws Exception {
        ImageDescriptor small = new ImageDescriptor(64, 64, 1, 16, 12, 11, false, 0, "MONOCHROME2", 1);
        assertThatThrownBy(() -> Codecs.standard().get(EXTENDED).decode(twelveBitFrame(), small))
                .isInstanceOf(PixelDataException.class).hasMessageContaining("data set says");
    }

    /** Offset of the first 0xFF {@code marker} at or after {@code from}. */
    static int indexOf(byte[] b, int marker, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == marker) {
                return i;
            }
        }
        throw new AssertionError("no marker " + Integer.toHexString(marker));
    }
}

package dev.steadfast.imaging;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Fragments;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.imaging.codec.Codecs;
import dev.steadfast.imaging.codec.EncodeOptions;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Damaged and hostile pixel data ends in a clear PixelDataException, with bounded memory and no hang. */
class HostilePixelDataTest {
    static final String RLE = "1.2.840.10008.1.2.5";
    static final String JLS = "1.2.840.10008.1.2.4.80";

    static List<Corpus.Entry> corrupt() {
        return Corpus.corrupt();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corrupt")
    void damagedCorpusFilesFailClearly(Corpus.Entry e) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            DicomFile f;
            try {
                f = DicomReader.readFile(e.path());
            } catch (Exception unreadable) {
                return; // the core reader's business (steadfast-dicom tests)
            }
            try {
                PixelData p = PixelData.of(f.dataset(), f.transferSyntaxUid());
                for (int i = 0; i < p.frameCount(); i++) {
                    p.decodedFrame(i);
                }
            } catch (PixelDataException | UnsupportedTransferSyntaxException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        });
    }

    @Test
    void truncatedRleSegmentIsReported() throws Exception {
        byte[] rle = Codecs.standard().get(RLE).encode(new byte[64 * 64], image(64, 64, 8), EncodeOptions.DEFAULT);
        byte[] cut = java.util.Arrays.copyOf(rle, 66);
        assertThatThrownBy(() -> Codecs.standard().get(RLE).decode(cut, image(64, 64, 8)))
                .isInstanceOf(PixelDataException.class).hasMessageContaining("ends after");
    }

    @Test
    void rleSegmentOffsetsOutsideTheFragmentAreReported() {
        byte[] h = new byte[64];
        h[0] = 1;
        h[4] = (byte) 0xFF;
        h[5] = (byte) 0xFF;
        h[6] = (byte) 0xFF;
        h[7] = 0x7F;
        assertThatThrownBy(() -> Codecs.standard().get(RLE).decode(h, image(8, 8, 8)))
                .isInstanceOf(PixelDataException.class).hasMessageContaining("out of range");
    }

    @Test
    void replicateRunsCannotExpandPastTheImage() throws Exception {
        // 64 header bytes, then 10,000 "repeat 128 times" runs: 1.28 MB claimed for a 16-byte image.
        byte[] bomb = new byte[64 + 20_000];
        bomb[0] = 1;
        bomb[4] = 64;
        for (int i = 64; i < bomb.length; i += 2) {
            bomb[i] = (byte) -127;
            bomb[i + 1] = 7;
        }
        assertThat(Codecs.standard().get(RLE).decode(bomb, image(4, 4, 8))).hasSize(16);
    }

    @Test
    void jpegLsCorruptionNeverHangsOrEscapes() throws Exception {
        ImageDescriptor d = image(64, 64, 16);
        int[] s = new int[64 * 64];
        Random r = new Random(5);
        for (int i = 0; i < s.length; i++) {
            s[i] = (i % 64) * 300 + r.nextInt(50);
        }
        byte[] good = Codecs.standard().get(JLS).encode(Samples.write(s, d), d, EncodeOptions.DEFAULT);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int k = 0; k < 300; k++) {
                byte[] bad = good.clone();
                for (int j = 0; j < 4; j++) {
                    bad[20 + r.nextInt(bad.length - 20)] = (byte) r.nextInt(256);
                }
                if (k % 3 == 0) {
                    bad = java.util.Arrays.copyOf(bad, 20 + r.nextInt(bad.length - 20));
                }
                try {
                    Codecs.standard().get(JLS).decode(bad, d);
                } catch (PixelDataException expected) {
                    // fine: a clear error
                }
            }
        });
    }

    @Test
    void frameCountsLargerThanThePixelDataAreReported() throws Exception {
        Dataset ds = mono(8, 8, 8).setString(Tag.NumberOfFrames, VR.IS, "1000");
        ds.setBytes(Tag.PixelData, VR.OB, new byte[64]);
        PixelData p = PixelData.of(ds, "1.2.840.10008.1.2.1");
        assertThat(p.frameCount()).isEqualTo(1);
        assertThatThrownBy(() -> p.decodedFrame(1)).isInstanceOf(PixelDataException.class).hasMessageContaining("does not exist");

        Dataset enc = mono(8, 8, 8).setString(Tag.NumberOfFrames, VR.IS, "5");
        Fragments f = new Fragments();
        f.add(new byte[0]);
        f.add(new byte[] {(byte) 0xFF, (byte) 0xD8, 0, 0});
        f.add(new byte[] {(byte) 0xFF, (byte) 0xD8, 0, 0});
        enc.put(new Element(Tag.PixelData, VR.OB, f, false));
        assertThatThrownBy(() -> PixelData.of(enc, JLS)).isInstanceOf(PixelDataException.class).hasMessageContaining("Number of Frames is 5");
    }

    @Test
    void absurdImageSizesAreRefusedBeforeAllocating() {
        Dataset ds = mono(65535, 65535, 16);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 3);
        assertThatThrownBy(() -> ImageDescriptor.of(ds)).isInstanceOf(PixelDataException.class).hasMessageContaining("exceeds the limit");
    }

    @Test
    void codestreamLargerThanTheDataSetSaysIsRefused() throws Exception {
        ImageDescriptor big = image(512, 512, 8);
        byte[] jls = Codecs.standard().get(JLS).encode(new byte[512 * 512], big, EncodeOptions.DEFAULT);
        assertThatThrownBy(() -> Codecs.standard().get(JLS).decode(jls, image(8, 8, 8))).isInstanceOf(PixelDataException.class);
    }

    static ImageDescriptor image(int rows, int cols, int bits) {
        return new ImageDescriptor(rows, cols, 1, bits, bits, bits - 1, false, 0, "MONOCHROME2", 1);
    }

    static Dataset mono(int rows, int cols, int bits) {
        Dataset ds = new Dataset();
        ds.setInt(Tag.Rows, VR.US, rows);
        ds.setInt(Tag.Columns, VR.US, cols);
        ds.setInt(Tag.BitsAllocated, VR.US, bits);
        ds.setInt(Tag.BitsStored, VR.US, bits);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        return ds;
    }
}

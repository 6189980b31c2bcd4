package dev.steadfast.imaging.jpegls;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Our T.87 encoder and decoder agree exactly at every precision, size and component count. */
class JpegLsRoundTripTest {

    @ParameterizedTest(name = "{0} bits, {1}x{2}, {3} components, {4}")
    @CsvSource({"2,7,5,1,noise", "8,1,1,1,noise", "8,33,17,1,smooth", "8,16,16,3,smooth", "12,64,31,1,noise",
                "16,40,40,1,noise", "16,40,40,1,flat", "16,9,130,3,smooth", "10,300,3,1,smooth"})
    void encodeThenDecodeIsExact(int bits, int rows, int cols, int nc, String kind) {
        Random r = new Random(bits * 31 + rows);
        int max = (1 << bits) - 1;
        int[] s = new int[rows * cols * nc];
        for (int i = 0; i < s.length; i++) {
            s[i] = switch (kind) {
                case "noise" -> r.nextInt(max + 1);
                case "flat" -> 1234 & max;
                default -> Math.min(max, (i / nc % cols) * (max / Math.max(1, cols)) + r.nextInt(3));
            };
        }
        JpegLs.Header h = new JpegLs.Header(bits, rows, cols, nc);
        byte[] enc = JpegLs.encode(s, h);
        assertThat(JpegLs.decode(enc, h)).isEqualTo(s);
    }
}

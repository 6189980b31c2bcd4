package dev.steadfast.imaging.rle;

import dev.steadfast.imaging.ImageDescriptor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RleCodecTest {

    @Test
    void packBitsUsesReplicateAndLiteralRunsWithinRowLimits() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RleEncoder.packRow(new byte[] {1, 2, 3, 3, 3, 3, 4}, out);
        // literal "1 2" (header 1), run of four 3s (header -3), literal "4" (header 0)
        assertThat(out.toByteArray()).containsExactly(1, 1, 2, -3, 3, 0, 4);
        out.reset();
        RleEncoder.packRow(new byte[300], out);
        assertThat(out.toByteArray()).containsExactly(-127, 0, -127, 0, -43, 0);
    }

    @Test
    void roundTripOfSixteenBitColourKeepsEverySegmentEven() {
        ImageDescriptor d = new ImageDescriptor(13, 7, 3, 16, 16, 15, false, 0, "RGB", 1);
        byte[] frame = new byte[d.frameLength()];
        new Random(3).nextBytes(frame);
        byte[] enc = RleEncoder.encode(frame, d);
        assertThat(enc[0]).isEqualTo((byte) 6);
        for (int s = 1; s <= 6; s++) {
            int off = (enc[4 * s] & 0xFF) | (enc[4 * s + 1] & 0xFF) << 8;
            assertThat(off % 2).isZero();
        }
        assertThat(RleDecoder.decode(enc, d)).isEqualTo(frame);
    }
}

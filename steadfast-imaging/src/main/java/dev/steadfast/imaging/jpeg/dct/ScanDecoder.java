package dev.steadfast.imaging.jpeg.dct;

import dev.steadfast.imaging.PixelDataException;

import java.util.Arrays;
import java.util.List;

/**
 * Decodes the MCUs of one sequential Huffman scan (T.81 F.2.2, A.2): interleaved when it has
 * several components, one block per MCU when it has one; restart intervals reset the DC
 * predictions. Each block goes through the IDCT into its component's plane as soon as it is read.
 */
final class ScanDecoder {
    /** A component of the scan with the tables its header selected. */
    record Selected(Component component, HuffmanDecoder dc, HuffmanDecoder ac, int[] quant) {}

    private final FrameHeader frame;
    private final List<Selected> scan;
    private final IslowIdct idct;
    private final short[] block = new short[64];
    private final int maxDcCategory;
    private final int maxAcCategory;

    ScanDecoder(FrameHeader frame, List<Selected> scan, IslowIdct idct) {
        this.frame = frame;
        this.scan = scan;
        this.idct = idct;
        this.maxDcCategory = frame.precision() + 3; // T.81 F.1.2.1.2: 11 for 8-bit, 15 for 12-bit
        this.maxAcCategory = frame.precision() + 2;
    }

    /** Number of 8x8 blocks the scan codes, to check against the data before allocating planes. */
    long blocks() {
        if (scan.size() == 1) {
            Component c = scan.getFirst().component();
            return (long) c.blocksPerLine() * c.blockRows();
        }
        long perMcu = 0;
        for (Selected s : scan) {
            perMcu += s.component().h * s.component().v;
        }
        return perMcu * frame.mcusPerLine() * frame.mcuRows();
    }

    void decode(EntropyReader in, int restartInterval) {
        if (scan.size() > 1) {
            int perMcu = 0;
            for (Selected s : scan) {
                perMcu += s.component().h * s.component().v;
            }
            if (perMcu > 10) {
                throw new PixelDataException("JPEG MCU of " + perMcu + " blocks: T.81 allows at most 10");
            }
        }
        for (Selected s : scan) {
            Component c = s.component();
            c.stride = frame.mcusPerLine() * c.h * 8;
            c.plane = new short[c.stride * frame.mcuRows() * c.v * 8];
        }
        int[] pred = new int[scan.size()];
        boolean single = scan.size() == 1;
        Component only = scan.getFirst().component();
        int mcusPerLine = single ? only.blocksPerLine() : frame.mcusPerLine();
        int mcus = single ? only.blocksPerLine() * only.blockRows() : frame.mcusPerLine() * frame.mcuRows();
        int nextRst = 0;
        for (int mcu = 0; mcu < mcus; mcu++) {
            if (restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0) {
                in.restart(nextRst);
                nextRst = (nextRst + 1) & 7;
                Arrays.fill(pred, 0);
            }
            int mx = mcu % mcusPerLine;
            int my = mcu / mcusPerLine;
            for (int i = 0; i < scan.size(); i++) {
                Selected s = scan.get(i);
                Component c = s.component();
                if (single) {
                    pred[i] = decodeBlock(in, s, pred[i], my * 8 * c.stride + mx * 8);
                    continue;
                }
                for (int by = 0; by < c.v; by++) {
                    for (int bx = 0; bx < c.h; bx++) {
                        int row = (my * c.v + by) * 8;
                        int col = (mx * c.h + bx) * 8;
                        pred[i] = decodeBlock(in, s, pred[i], row * c.stride + col);
                    }
                }
            }
        }
    }

    /** Decodes one block (T.81 F.2.2.1, F.2.2.2) and returns the new DC prediction. */
    private int decodeBlock(EntropyReader in, Selected s, int pred, int offset) {
        short[] b = block;
        Arrays.fill(b, (short) 0);
        int t = s.dc().decode(in);
        if (t > maxDcCategory) {
            throw new PixelDataException("bad JPEG DC difference category " + t);
        }
        int dc = pred + in.receiveExtend(t);
        b[0] = (short) dc; // IJG keeps coefficients as 16-bit JCOEF
        for (int k = 1; k < 64; k++) {
            int rs = s.ac().decode(in);
            int r = rs >> 4;
            int size = rs & 15;
            if (size == 0) {
                if (r != 15) {
                    break; // EOB
                }
                k += 15;
                continue;
            }
            k += r;
            if (k > 63 || size > maxAcCategory) {
                throw new PixelDataException("bad JPEG AC code: run past the end of the block or category " + size);
            }
            b[ZigZag.NATURAL[k]] = (short) in.receiveExtend(size);
        }
        idct.transform(b, s.quant(), s.component().plane, offset, s.component().stride);
        return dc;
    }
}

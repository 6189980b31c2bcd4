package dev.steadfast.imaging.jpeg.dct;

import dev.steadfast.imaging.PixelDataException;

import java.util.ArrayList;
import java.util.List;

/**
 * An ITU-T T.81 sequential DCT decoder with Huffman coding: baseline (SOF0) and extended (SOF1)
 * with 8- or 12-bit samples, 1 to 4 components with any integral sampling factors, interleaved or
 * one scan per component, restart intervals, 8- and 16-bit quantization tables. Progressive,
 * lossless, hierarchical and arithmetic-coded processes are refused.
 *
 * <p>Hostile input ends in a {@link PixelDataException}: sizes are checked against the data left
 * (a block costs at least two bits) and against {@link #MAX_SAMPLES} before anything is allocated,
 * and every loop advances through the data or a fixed count of blocks.
 */
public final class DctDecoder {
    /** Largest image accepted, in samples (all components): bounds memory against hostile headers. */
    public static final long MAX_SAMPLES = 1L << 28;

    private final byte[] data;
    private final int[][] quant = new int[4][];
    private final HuffmanDecoder[] dcTables = new HuffmanDecoder[4];
    private final HuffmanDecoder[] acTables = new HuffmanDecoder[4];
    private int restartInterval;
    private FrameHeader frame;
    private IslowIdct idct;

    private DctDecoder(byte[] data) {
        this.data = data;
    }

    /** Decodes a whole codestream (SOI to EOI). */
    public static DctImage decode(byte[] codestream) {
        return new DctDecoder(codestream).run();
    }

    private DctImage run() {
        if (data.length < 4 || (data[0] & 0xFF) != 0xFF || (data[1] & 0xFF) != 0xD8) {
            throw new PixelDataException("not a JPEG codestream: no SOI marker");
        }
        int p = 2;
        while (p < data.length) {
            if ((data[p] & 0xFF) != 0xFF) {
                throw new PixelDataException(String.format("JPEG marker expected at offset %d, found 0x%02X", p, data[p] & 0xFF));
            }
            while (p + 1 < data.length && (data[p + 1] & 0xFF) == 0xFF) {
                p++; // fill bytes before a marker
            }
            if (p + 1 >= data.length) {
                break;
            }
            int m = data[p + 1] & 0xFF;
            p += 2;
            if (m == 0xD9) {
                break; // EOI
            }
            if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
                continue; // TEM or a stray RSTn: no length field
            }
            if (p + 2 > data.length) {
                throw new PixelDataException(String.format("JPEG codestream ends inside marker FF%02X", m));
            }
            int len = FrameHeader.u16(data, p);
            if (len < 2 || p + len > data.length) {
                throw new PixelDataException(String.format("JPEG marker FF%02X segment of %d bytes runs past the data", m, len));
            }
            int body = p + 2;
            int bodyLen = len - 2;
            p += len;
            switch (m) {
                case 0xC0, 0xC1 -> frame(body, bodyLen, m);
                case 0xC4 -> huffmanTables(body, bodyLen);
                case 0xDB -> quantTables(body, bodyLen);
                case 0xDD -> restartInterval = bodyLen >= 2 ? FrameHeader.u16(data, body) : fail("bad DRI segment");
                case 0xDA -> p = scan(body, bodyLen);
                case 0xDC -> throw new PixelDataException("JPEG DNL marker (height after the scan) is not supported");
                case 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF -> throw new PixelDataException(
                        String.format("JPEG process SOF%d is not sequential DCT with Huffman coding", m - 0xC0));
                default -> { } // APPn, COM and other segments: skipped
            }
        }
        if (frame == null) {
            throw new PixelDataException("JPEG codestream has no frame header (SOF0/SOF1)");
        }
        for (Component c : frame.components()) {
            if (c.plane == null) {
                throw new PixelDataException("JPEG codestream ends before the scan of component " + c.id);
            }
        }
        return new DctImage(frame.rows(), frame.columns(), frame.components().size(), frame.precision(),
                Upsampler.interleave(frame));
    }

    private static int fail(String message) {
        throw new PixelDataException(message);
    }

    private void frame(int p, int len, int marker) {
        if (frame != null) {
            throw new PixelDataException("JPEG codestream has a second frame header");
        }
        FrameHeader f = FrameHeader.parse(data, p, len, marker);
        if ((long) f.rows() * f.columns() * f.components().size() > MAX_SAMPLES) {
            throw new PixelDataException("JPEG frame " + f.columns() + "x" + f.rows() + "x" + f.components().size()
                    + " exceeds the limit of " + MAX_SAMPLES + " samples");
        }
        frame = f;
        idct = new IslowIdct(f.precision());
    }

    /** DQT (T.81 B.2.4.1): tables in zig-zag order, 8- or 16-bit entries, stored here in natural order. */
    private void quantTables(int p, int len) {
        int end = p + len;
        while (p < end) {
            int pq = (data[p] & 0xFF) >> 4;
            int tq = data[p] & 15;
            int size = pq == 0 ? 64 : 128;
            if (pq > 1 || tq > 3 || p + 1 + size > end) {
                throw new PixelDataException("bad JPEG DQT segment: precision " + pq + ", table " + tq);
            }
            int[] q = new int[64];
            for (int k = 0; k < 64; k++) {
                q[ZigZag.NATURAL[k]] = pq == 0 ? data[p + 1 + k] & 0xFF : FrameHeader.u16(data, p + 1 + 2 * k);
            }
            quant[tq] = q;
            p += 1 + size;
        }
    }

    /** DHT (T.81 B.2.4.2). */
    private void huffmanTables(int p, int len) {
        int end = p + len;
        while (p < end) {
            if (p + 17 > end) {
                throw new PixelDataException("bad JPEG DHT segment: truncated code counts");
            }
            int tc = (data[p] & 0xFF) >> 4;
            int th = data[p] & 15;
            int[] counts = new int[17];
            int total = 0;
            for (int l = 1; l <= 16; l++) {
                counts[l] = data[p + l] & 0xFF;
                total += counts[l];
            }
            if (tc > 1 || th > 3 || total > 256 || p + 17 + total > end) {
                throw new PixelDataException("bad JPEG DHT segment: class " + tc + ", table " + th + ", " + total + " codes");
            }
            int[] values = new int[total];
            for (int i = 0; i < total; i++) {
                values[i] = data[p + 17 + i] & 0xFF;
            }
            (tc == 0 ? dcTables : acTables)[th] = new HuffmanDecoder(counts, values);
            p += 17 + total;
        }
    }

    /** SOS (T.81 B.2.3) and the entropy-coded data after it; returns the offset of the next marker. */
    private int scan(int p, int len) {
        if (frame == null) {
            throw new PixelDataException("JPEG scan before the frame header");
        }
        int n = len > 0 ? data[p] & 0xFF : 0;
        if (n < 1 || n > frame.components().size() || len != 4 + 2 * n) {
            throw new PixelDataException("bad JPEG scan header: " + n + " components, length " + len);
        }
        List<ScanDecoder.Selected> selected = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Component c = frame.component(data[p + 1 + 2 * i] & 0xFF);
            int td = (data[p + 2 + 2 * i] & 0xFF) >> 4;
            int ta = data[p + 2 + 2 * i] & 15;
            if (c.plane != null || selected.stream().anyMatch(s -> s.component() == c)) {
                throw new PixelDataException("JPEG component " + c.id + " appears in two scans: not sequential");
            }
            if (td > 3 || ta > 3 || dcTables[td] == null || acTables[ta] == null) {
                throw new PixelDataException("JPEG scan uses Huffman tables DC" + td + "/AC" + ta + ", which are not defined");
            }
            if (quant[c.quantTable] == null) {
                throw new PixelDataException("JPEG component " + c.id + " uses quantization table " + c.quantTable + ", which is not defined");
            }
            selected.add(new ScanDecoder.Selected(c, dcTables[td], acTables[ta], quant[c.quantTable]));
        }
        ScanDecoder decoder = new ScanDecoder(frame, selected, idct);
        int start = p + len;
        long blocks = decoder.blocks();
        if (blocks > 4L * (data.length - start) + 4) {
            throw new PixelDataException("JPEG scan of " + blocks + " blocks cannot fit in the " + (data.length - start)
                    + " bytes left (truncated data or a hostile frame size)");
        }
        EntropyReader in = new EntropyReader(data, start);
        decoder.decode(in, restartInterval);
        return in.markerOffset();
    }
}

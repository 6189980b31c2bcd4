package dev.steadfast.imaging.jpegls;

import dev.steadfast.imaging.PixelDataException;

import java.io.ByteArrayOutputStream;

/**
 * JPEG-LS codestreams (ITU-T T.87): decoding of lossless and near-lossless images in every
 * interleave mode with optional LSE preset parameters; lossless encoding with default parameters
 * (one scan, line interleaved for colour). Samples are interleaved by pixel.
 */
public final class JpegLs {
    private JpegLs() {}

    /** The frame header facts needed to check a codestream against the data set. */
    public record Header(int precision, int rows, int columns, int components) {}

    public static int[] decode(byte[] data, Header expected) {
        if (data.length < 4 || (data[0] & 0xFF) != 0xFF || (data[1] & 0xFF) != 0xD8) {
            throw new PixelDataException("not a JPEG-LS codestream: no SOI marker");
        }
        int pos = 2;
        Header h = null;
        int[] ids = null;
        int[] out = null;
        int maxVal = 0, t1 = 0, t2 = 0, t3 = 0, reset = 0;
        while (pos + 4 <= data.length) {
            if ((data[pos] & 0xFF) != 0xFF) {
                pos++;
                continue;
            }
            int m = data[pos + 1] & 0xFF;
            if (m == 0xFF) {
                pos++;
                continue;
            }
            if (m == 0xD9) {
                break;
            }
            int len = u16(data, pos + 2);
            int seg = pos + 4;
            if (seg + len - 2 > data.length) {
                throw new PixelDataException("JPEG-LS marker segment runs past the end of the data");
            }
            switch (m) {
                case 0xF7 -> {
                    h = new Header(data[seg] & 0xFF, u16(data, seg + 1), u16(data, seg + 3), data[seg + 5] & 0xFF);
                    if (h.rows() != expected.rows() || h.columns() != expected.columns() || h.components() != expected.components()) {
                        throw new PixelDataException("JPEG-LS frame is " + h + ", the data set says " + expected);
                    }
                    if (h.precision() < 2 || h.precision() > 16) {
                        throw new PixelDataException("JPEG-LS precision " + h.precision() + " out of range");
                    }
                    ids = new int[h.components()];
                    for (int c = 0; c < ids.length; c++) {
                        ids[c] = data[seg + 6 + 3 * c] & 0xFF;
                    }
                    out = new int[h.rows() * h.columns() * h.components()];
                }
                case 0xF8 -> {
                    int id = data[seg] & 0xFF;
                    if (id != 1) {
                        throw new PixelDataException("JPEG-LS mapping tables (LSE id " + id + ") are not supported");
                    }
                    maxVal = u16(data, seg + 1);
                    t1 = u16(data, seg + 3);
                    t2 = u16(data, seg + 5);
                    t3 = u16(data, seg + 7);
                    reset = u16(data, seg + 9);
                }
                case 0xDA -> {
                    if (h == null) {
                        throw new PixelDataException("JPEG-LS scan before the frame header");
                    }
                    int ns = data[seg] & 0xFF;
                    int[] comps = new int[ns];
                    for (int s = 0; s < ns; s++) {
                        comps[s] = indexOf(ids, data[seg + 1 + 2 * s] & 0xFF);
                    }
                    int near = data[seg + 1 + 2 * ns] & 0xFF;
                    int ilv = data[seg + 2 + 2 * ns] & 0xFF;
                    if ((data[seg + 3 + 2 * ns] & 0x0F) != 0) {
                        throw new PixelDataException("JPEG-LS point transform is not supported");
                    }
                    JlsParameters p = JlsParameters.of(h.precision(), maxVal, near, t1, t2, t3, reset);
                    JlsBitReader in = new JlsBitReader(data, seg + len - 2);
                    scan(new JlsScanCoder(p, in, null), out, h, comps, ilv);
                    pos = in.endOfScan();
                    continue;
                }
                default -> { }
            }
            pos = seg + len - 2;
        }
        if (out == null) {
            throw new PixelDataException("JPEG-LS codestream has no frame header");
        }
        return out;
    }

    public static byte[] encode(int[] samples, Header h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(samples.length);
        int nc = h.components();
        out.write(0xFF);
        out.write(0xD8);
        out.write(0xFF);
        out.write(0xF7);
        u16(out, 8 + 3 * nc);
        out.write(h.precision());
        u16(out, h.rows());
        u16(out, h.columns());
        out.write(nc);
        for (int c = 0; c < nc; c++) {
            out.write(c + 1);
            out.write(0x11);
            out.write(0);
        }
        out.write(0xFF);
        out.write(0xDA);
        u16(out, 6 + 2 * nc);
        out.write(nc);
        int[] comps = new int[nc];
        for (int c = 0; c < nc; c++) {
            comps[c] = c;
            out.write(c + 1);
            out.write(0);
        }
        out.write(0); // NEAR: lossless
        out.write(nc > 1 ? 1 : 0); // line interleaved for colour
        out.write(0);
        int mask = (1 << h.precision()) - 1;
        int[] masked = new int[samples.length];
        for (int i = 0; i < samples.length; i++) {
            masked[i] = samples[i] & mask;
        }
        JlsBitWriter bits = new JlsBitWriter(out);
        scan(new JlsScanCoder(JlsParameters.of(h.precision(), 0, 0, 0, 0, 0, 0), null, bits), masked, h, comps, nc > 1 ? 1 : 0);
        bits.flush();
        out.write(0xFF);
        out.write(0xD9);
        return out.toByteArray();
    }

    /** Runs one scan over the samples: reads them (encoder) or fills them (decoder). */
    private static void scan(JlsScanCoder coder, int[] img, Header h, int[] comps, int ilv) {
        int w = h.columns();
        int nc = h.components();
        if (ilv == 2 && comps.length > 1) {
            int k = comps.length;
            int[] prev = new int[(w + 2) * k];
            int[] cur = new int[(w + 2) * k];
            for (int y = 0; y < h.rows(); y++) {
                for (int s = 0; s < k; s++) {
                    cur[s] = prev[k + s];
                    prev[(w + 1) * k + s] = prev[w * k + s];
                    for (int x = 0; x < w; x++) {
                        cur[(x + 1) * k + s] = img[(y * w + x) * nc + comps[s]];
                    }
                }
                coder.lineInterleaved(prev, cur, w, k);
                for (int s = 0; s < k; s++) {
                    for (int x = 0; x < w; x++) {
                        img[(y * w + x) * nc + comps[s]] = cur[(x + 1) * k + s];
                    }
                }
                int[] t = prev;
                prev = cur;
                cur = t;
            }
            return;
        }
        if (ilv != 0 && ilv != 1) {
            throw new PixelDataException("JPEG-LS interleave mode " + ilv + " is invalid");
        }
        int k = comps.length;
        int[][] prev = new int[k][w + 2];
        int[][] cur = new int[k][w + 2];
        int[] runIndex = new int[k];
        for (int y = 0; y < h.rows(); y++) {
            for (int s = 0; s < k; s++) {
                int[] p = prev[s];
                int[] c = cur[s];
                c[0] = p[1];
                p[w + 1] = p[w];
                for (int x = 0; x < w; x++) {
                    c[x + 1] = img[(y * w + x) * nc + comps[s]];
                }
                coder.runIndex = runIndex[s];
                coder.line(p, c, w);
                runIndex[s] = coder.runIndex;
                for (int x = 0; x < w; x++) {
                    img[(y * w + x) * nc + comps[s]] = c[x + 1];
                }
                prev[s] = c;
                cur[s] = p;
            }
        }
    }

    private static int indexOf(int[] ids, int id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        throw new PixelDataException("JPEG-LS scan names unknown component " + id);
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v);
    }
}

package dev.steadfast.imaging.render;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Tag;

/**
 * A lookup table as PS3.3 C.11.1.1 describes it: descriptor (entries, first mapped value, bits)
 * and data. Inputs below the first entry map to the first, above the last to the last.
 */
public record Lut(int firstMapped, int bits, int[] data) {

    public static Lut of(Dataset item) {
        return of(item, Tag.LUTDescriptor, Tag.LUTData);
    }

    public static Lut of(Dataset ds, int descriptorTag, int dataTag) {
        int[] desc = ds.getInts(descriptorTag);
        Element e = ds.get(dataTag);
        if (desc.length < 3 || e == null || e.bytes() == null) {
            return null;
        }
        int entries = desc[0] == 0 ? 65536 : desc[0] & 0xFFFF;
        int first = desc[1];
        if (first > Short.MAX_VALUE && ds.get(descriptorTag).vr() == dev.steadfast.dicom.VR.US) {
            first = (short) first; // many writers store a signed first value as US
        }
        int bits = desc[2];
        byte[] b = e.bytes();
        int[] data = new int[entries];
        boolean packedBytes = bits <= 8 && b.length == entries + (entries & 1) && b.length < 2 * entries;
        for (int i = 0; i < entries; i++) {
            if (packedBytes) {
                data[i] = b[i] & 0xFF;
            } else if (2 * i + 1 < b.length) {
                data[i] = e.bigEndian() ? (b[2 * i] & 0xFF) << 8 | (b[2 * i + 1] & 0xFF) : (b[2 * i] & 0xFF) | (b[2 * i + 1] & 0xFF) << 8;
            }
        }
        return new Lut(first, bits, data);
    }

    public int lookup(double v) {
        long i = Math.round(v) - firstMapped;
        return data[(int) Math.max(0, Math.min(data.length - 1, i))];
    }

    /**
     * A palette LUT given in segments (PS3.3 C.7.9.2): discrete (0), linear (1) and indirect (2)
     * segments of 16-bit words, expanded to the descriptor's number of entries.
     */
    public static Lut segmented(Dataset ds, int descriptorTag, int segmentedTag) {
        int[] desc = ds.getInts(descriptorTag);
        Element e = ds.get(segmentedTag);
        if (desc.length < 3 || e == null || e.bytes() == null) {
            return null;
        }
        byte[] b = e.bytes();
        int[] words = new int[b.length / 2];
        for (int i = 0; i < words.length; i++) {
            words[i] = e.bigEndian() ? (b[2 * i] & 0xFF) << 8 | (b[2 * i + 1] & 0xFF) : (b[2 * i] & 0xFF) | (b[2 * i + 1] & 0xFF) << 8;
        }
        int entries = desc[0] == 0 ? 65536 : desc[0] & 0xFFFF;
        int[] out = new int[entries];
        int n = expand(words, 0, words.length, out, 0, 0);
        if (n == 0) {
            return null;
        }
        for (int i = n; i < entries; i++) {
            out[i] = out[n - 1];
        }
        return new Lut(desc[1], desc[2], out);
    }

    private static int expand(int[] w, int from, int to, int[] out, int n, int depth) {
        int i = from;
        while (i + 1 < to && n < out.length) {
            int op = w[i];
            int len = w[i + 1];
            switch (op) {
                case 0 -> {
                    for (int k = 0; k < len && i + 2 + k < w.length && n < out.length; k++) {
                        out[n++] = w[i + 2 + k];
                    }
                    i += 2 + len;
                }
                case 1 -> {
                    double y0 = n > 0 ? out[n - 1] : 0;
                    double y1 = i + 2 < w.length ? w[i + 2] : y0;
                    for (int k = 1; k <= len && n < out.length; k++) {
                        out[n++] = (int) Math.round(y0 + (y1 - y0) * k / len);
                    }
                    i += 3;
                }
                case 2 -> {
                    if (depth > 0 || i + 3 >= w.length) {
                        return n; // indirect segments may not nest
                    }
                    int offset = w[i + 2] | w[i + 3] << 16;
                    int segStart = offset;
                    for (int s = 0; s < len && segStart + 1 < w.length; s++) {
                        int segLen = w[segStart] == 0 ? 2 + w[segStart + 1] : w[segStart] == 1 ? 3 : 4;
                        n = expand(w, segStart, Math.min(w.length, segStart + segLen), out, n, depth + 1);
                        segStart += segLen;
                    }
                    i += 4;
                }
                default -> {
                    return n;
                }
            }
        }
        return n;
    }

    /** Largest output value the table can hold: from the descriptor, widened when the data exceed it. */
    public int maxOutput() {
        int max = 0;
        for (int d : data) {
            max = Math.max(max, d);
        }
        int declared = (1 << Math.min(16, Math.max(1, bits))) - 1;
        return max > declared ? 65535 : declared;
    }
}

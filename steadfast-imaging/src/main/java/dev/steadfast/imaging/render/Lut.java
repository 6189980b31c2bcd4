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

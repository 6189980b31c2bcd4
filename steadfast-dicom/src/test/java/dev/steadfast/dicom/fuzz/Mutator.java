package dev.steadfast.dicom.fuzz;

import dev.steadfast.dicom.VR;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of DICOM files. Positions favour the first 16 KB, where the element headers
 * are (mutating pixel data only tests the byte copy), and length overwrites aim at real length
 * fields found by their VR code or item tag.
 */
final class Mutator {
    private static final int HEADER_ZONE = 16 * 1024;
    private static final long[] LONG_LENGTHS = {0xFFFFFFFFL, 0xFFFFFFFEL, 0xFFFFFFF0L, 0x7FFFFFFFL, 0x80000000L,
            0x7FFFFFF0L, 0, 1, 3, 7, 0xFFFF, 0x10000, 0x01000000};
    private static final int[] SHORT_LENGTHS = {0xFFFF, 0xFFFE, 0, 1, 3, 0x8000};

    private final Random rnd;

    Mutator(Random rnd) {
        this.rnd = rnd;
    }

    /** Applies one to three mutations to {@code a}; {@code b} is the second file a splice may use. */
    Mutation mutate(String nameA, byte[] a, String nameB, byte[] b) {
        byte[] bytes = a;
        StringBuilder how = new StringBuilder(nameA);
        int rounds = 1 + rnd.nextInt(3);
        for (int r = 0; r < rounds && bytes.length > 0; r++) {
            int kind = rnd.nextInt(6);
            how.append(" | ");
            bytes = switch (kind) {
                case 0 -> flipBytes(bytes, how);
                case 1, 2 -> overwriteLength(bytes, how);
                case 3 -> truncate(bytes, how);
                case 4 -> rnd.nextBoolean() ? duplicateRange(bytes, how) : deleteRange(bytes, how);
                default -> splice(bytes, nameB, b, how);
            };
        }
        return new Mutation(how.toString(), bytes);
    }

    private int position(int length) {
        return rnd.nextInt(4) > 0 ? rnd.nextInt(Math.min(length, HEADER_ZONE)) : rnd.nextInt(length);
    }

    private byte[] flipBytes(byte[] in, StringBuilder how) {
        byte[] out = in.clone();
        int n = 1 + rnd.nextInt(8);
        how.append("set");
        for (int i = 0; i < n; i++) {
            int at = position(out.length);
            out[at] = (byte) rnd.nextInt(256);
            how.append(' ').append(at).append('=').append(out[at] & 0xFF);
        }
        return out;
    }

    private byte[] overwriteLength(byte[] in, StringBuilder how) {
        byte[] out = in.clone();
        List<int[]> fields = lengthFields(in);
        int[] field = fields.isEmpty() || rnd.nextInt(5) == 0
                ? new int[] {position(in.length), 4} : fields.get(rnd.nextInt(fields.size()));
        int at = field[0];
        long value;
        if (field[1] == 2) {
            value = rnd.nextInt(3) == 0 ? rnd.nextInt(0x10000) : SHORT_LENGTHS[rnd.nextInt(SHORT_LENGTHS.length)];
        } else {
            int pick = rnd.nextInt(LONG_LENGTHS.length + 3);
            value = pick < LONG_LENGTHS.length ? LONG_LENGTHS[pick]
                    : pick == LONG_LENGTHS.length ? in.length - at - 4 + rnd.nextInt(3) - 1 // about what remains
                    : rnd.nextInt() & 0xFFFFFFFFL;
        }
        for (int i = 0; i < field[1] && at + i < out.length; i++) {
            out[at + i] = (byte) (value >>> (8 * i));
        }
        how.append("length@").append(at).append('/').append(field[1]).append("=0x").append(Long.toHexString(value));
        return out;
    }

    /** Offsets and widths of plausible little-endian length fields: after a VR code, or after an item tag. */
    private static List<int[]> lengthFields(byte[] b) {
        List<int[]> out = new ArrayList<>();
        int end = Math.min(b.length, 4 * HEADER_ZONE) - 8;
        for (int i = 4; i < end; i++) {
            int code = ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
            VR vr = b[i] >= 'A' && b[i] <= 'Z' ? VR.ofCode(code) : null;
            if (vr != null) {
                out.add(vr.hasLongLength() ? new int[] {i + 4, 4} : new int[] {i + 2, 2});
            } else if ((b[i] & 0xFF) == 0xFE && (b[i + 1] & 0xFF) == 0xFF && (b[i + 2] & 0xFF) == 0x00
                    && (b[i + 3] & 0xFF) == 0xE0) {
                out.add(new int[] {i + 4, 4});
            }
        }
        return out;
    }

    private byte[] truncate(byte[] in, StringBuilder how) {
        int at = rnd.nextBoolean() ? position(in.length) : rnd.nextInt(in.length);
        how.append("truncate@").append(at);
        return Arrays.copyOf(in, at);
    }

    private byte[] duplicateRange(byte[] in, StringBuilder how) {
        int from = position(in.length);
        int n = 1 + rnd.nextInt(Math.min(512, in.length - from));
        int to = position(in.length);
        how.append("duplicate ").append(from).append('+').append(n).append("@").append(to);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + n);
        out.write(in, 0, to);
        out.write(in, from, n);
        out.write(in, to, in.length - to);
        return out.toByteArray();
    }

    private byte[] deleteRange(byte[] in, StringBuilder how) {
        int from = position(in.length);
        int n = 1 + rnd.nextInt(Math.min(512, in.length - from));
        how.append("delete ").append(from).append('+').append(n);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        out.write(in, 0, from);
        out.write(in, from + n, in.length - from - n);
        return out.toByteArray();
    }

    private byte[] splice(byte[] a, String nameB, byte[] b, StringBuilder how) {
        int cutA = position(a.length);
        int cutB = b.length == 0 ? 0 : position(b.length);
        how.append("splice a[0,").append(cutA).append(") + ").append(nameB).append('[').append(cutB).append(",end)");
        byte[] out = Arrays.copyOf(a, cutA + b.length - cutB);
        System.arraycopy(b, cutB, out, cutA, b.length - cutB);
        return out;
    }
}

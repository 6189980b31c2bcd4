package dev.steadfast.dicom;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Encapsulated pixel data (PS3.5 A.4): the Basic Offset Table item followed by fragments.
 * Each entry is a {@code byte[]} or a {@link BulkData} reference.
 */
public final class Fragments implements Iterable<Object> {
    private final List<Object> items = new ArrayList<>();

    /** Adds an item: the first one added is the Basic Offset Table (possibly empty). */
    public void add(Object fragment) {
        if (!(fragment instanceof byte[]) && !(fragment instanceof BulkData)) {
            throw new IllegalArgumentException("a fragment is a byte[] or BulkData");
        }
        items.add(fragment);
    }

    public int size() { return items.size(); }

    public Object get(int index) { return items.get(index); }

    public static long lengthOf(Object fragment) {
        return fragment instanceof byte[] b ? b.length : ((BulkData) fragment).length();
    }

    /** The Basic Offset Table as offsets, empty when the table is empty or missing. */
    public long[] basicOffsetTable() {
        if (items.isEmpty() || !(items.getFirst() instanceof byte[] bot)) {
            return new long[0];
        }
        long[] offsets = new long[bot.length / 4];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = Bytes.uint32LE(bot, i * 4);
        }
        return offsets;
    }

    @Override
    public Iterator<Object> iterator() { return items.iterator(); }
}

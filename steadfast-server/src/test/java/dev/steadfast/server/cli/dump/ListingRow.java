package dev.steadfast.server.cli.dump;

import java.util.List;

/**
 * One listing line reduced to what is compared: its path in the data set, VR, values
 * (decoded, one per value), placeholder note, length text and VM.
 */
record ListingRow(String path, String vr, List<String> values, String note, String length, int vm) {

    /** Builds paths such as {@code /(0040,0275)/#0/(0008,0100)} from depths, as both listings indent. */
    static final class PathBuilder {
        private final String root;
        private final java.util.ArrayList<String> stack = new java.util.ArrayList<>();
        private final java.util.Map<String, Integer> itemCounts = new java.util.HashMap<>();

        PathBuilder(String root) {
            this.root = root;
        }

        String next(int depth, int tag, boolean item) {
            while (stack.size() > depth) {
                stack.removeLast();
            }
            while (stack.size() < depth) {
                // a jump in depth (dcmdump nests the items of some private sequences): keep going,
                // the comparison shows whatever follows from it
                stack.add(stack.isEmpty() ? root : stack.getLast());
            }
            String base = depth == 0 ? root : stack.get(depth - 1);
            String path;
            if (item) {
                int n = itemCounts.merge(base, 1, Integer::sum) - 1;
                path = base + "/#" + n;
            } else {
                path = base + String.format("/(%04x,%04x)", tag >>> 16, tag & 0xFFFF);
            }
            stack.add(path);
            return path;
        }
    }

    static List<ListingRow> of(String root, List<DumpLine> lines) {
        PathBuilder paths = new PathBuilder(root);
        java.util.ArrayList<ListingRow> out = new java.util.ArrayList<>();
        for (DumpLine l : lines) {
            if (l.tag() == DumpLines.ITEM_DELIMITATION || l.tag() == DumpLines.SEQUENCE_DELIMITATION) {
                continue;
            }
            String path = paths.next(l.depth(), l.tag(), l.tag() == DumpLines.ITEM);
            out.add(new ListingRow(path, l.vr(), l.values(), l.note(), l.length(), l.vm()));
        }
        return out;
    }
}

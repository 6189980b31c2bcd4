package dev.steadfast.imaging.jpeg;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * An optimal Huffman table for a symbol histogram, limited to 16-bit codes and never using the
 * all-ones code, as ITU-T T.81 Annex K.2 requires.
 */
final class HuffmanTable {
    final int[] bits = new int[17]; // bits[l] = number of codes of length l
    final int[] values;             // HUFFVAL
    final int[] code = new int[256];
    final int[] size = new int[256];

    HuffmanTable(long[] freq) {
        int n = freq.length;
        int[] length = new int[n + 1];
        PriorityQueue<Node> q = new PriorityQueue<>(Comparator.comparingLong(Node::w).thenComparingInt(x -> -x.sym));
        for (int s = 0; s < n; s++) {
            if (freq[s] > 0) {
                q.add(new Node(freq[s] * 2, s, null, null));
            }
        }
        q.add(new Node(1, n, null, null)); // reserved symbol: keeps the all-ones code unused
        if (q.size() == 1) {
            q.add(new Node(1, n + 1, null, null));
        }
        while (q.size() > 1) {
            Node a = q.poll();
            Node b = q.poll();
            q.add(new Node(a.w + b.w, Math.max(a.sym, b.sym), a, b));
        }
        int[] count = new int[64];
        List<int[]> symLen = new ArrayList<>();
        depths(q.poll(), 0, n, symLen, count, length);
        // Annex K.3 Figure K.3: move codes longer than 16 bits up the tree.
        for (int i = 63; i > 16; i--) {
            while (count[i] > 0) {
                int j = i - 2;
                while (count[j] == 0) {
                    j--;
                }
                count[i] -= 2;
                count[i - 1] += 1;
                count[j + 1] += 2;
                count[j] -= 1;
            }
        }
        int i = 16;
        while (count[i] == 0) {
            i--;
        }
        count[i]--; // drop the reserved symbol, which has the longest code
        System.arraycopy(count, 0, bits, 0, 17);
        symLen.sort(Comparator.<int[]>comparingInt(x -> x[1]).thenComparingLong(x -> -freq[x[0]]));
        values = symLen.stream().mapToInt(x -> x[0]).toArray();
        int c = 0;
        int k = 0;
        for (int l = 1; l <= 16; l++) {
            for (int m = 0; m < bits[l]; m++, k++) {
                code[values[k]] = c++;
                size[values[k]] = l;
            }
            c <<= 1;
        }
    }

    private record Node(long w, int sym, Node a, Node b) {}

    private static void depths(Node node, int depth, int n, List<int[]> out, int[] count, int[] length) {
        if (node.a() == null) {
            int d = Math.max(depth, 1);
            count[d]++;
            if (node.sym() < n) {
                out.add(new int[] {node.sym(), d});
            }
            return;
        }
        depths(node.a(), depth + 1, n, out, count, length);
        depths(node.b(), depth + 1, n, out, count, length);
    }
}

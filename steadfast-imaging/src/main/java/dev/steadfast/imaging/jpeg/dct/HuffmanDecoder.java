package dev.steadfast.imaging.jpeg.dct;

import dev.steadfast.imaging.PixelDataException;

/** One Huffman table of a DHT segment (T.81 Annex C), decoding with a 9-bit lookahead table. */
final class HuffmanDecoder {
    private static final int LOOKAHEAD = 9;
    /** Indexed by the next {@value #LOOKAHEAD} bits: {@code length << 8 | symbol}, 0 for longer codes. */
    private final int[] lookup = new int[1 << LOOKAHEAD];
    private final int[] maxCode = new int[17];
    private final int[] valueOffset = new int[17];
    private final int[] values;

    /** {@code counts[l]} codes of length l (1..16), then the symbols in code order. */
    HuffmanDecoder(int[] counts, int[] values) {
        this.values = values;
        int code = 0;
        int k = 0;
        for (int l = 1; l <= 16; l++) {
            valueOffset[l] = k - code;
            for (int i = 0; i < counts[l]; i++, k++, code++) {
                if (code >= 1 << l) {
                    throw new PixelDataException("bad JPEG Huffman table: more codes of length " + l + " than fit");
                }
                if (l <= LOOKAHEAD) {
                    int shift = LOOKAHEAD - l;
                    for (int j = code << shift; j < (code + 1) << shift; j++) {
                        lookup[j] = l << 8 | values[k];
                    }
                }
            }
            maxCode[l] = counts[l] == 0 ? -1 : code - 1;
            code <<= 1;
        }
    }

    int decode(EntropyReader in) {
        int e = lookup[in.peek(LOOKAHEAD)];
        if (e != 0) {
            in.skip(e >> 8);
            return e & 0xFF;
        }
        int next16 = in.peek(16);
        for (int l = LOOKAHEAD + 1; l <= 16; l++) {
            int c = next16 >>> (16 - l);
            if (c <= maxCode[l]) {
                in.skip(l);
                return values[valueOffset[l] + c];
            }
        }
        in.skip(16); // throws first when the data has ended
        throw new PixelDataException("bad JPEG Huffman code: no table entry matches");
    }
}

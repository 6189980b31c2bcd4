package dev.steadfast.imaging.jpeg;

import dev.steadfast.imaging.PixelDataException;

/** The frame header (SOFn) of a JPEG codestream, found without decoding. */
record JpegMarkers(int sof, int precision, int rows, int columns, int components) {

    static JpegMarkers scan(byte[] b) {
        int i = 0;
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
            throw new PixelDataException("not a JPEG codestream: no SOI marker");
        }
        i = 2;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                i++;
                continue;
            }
            int m = b[i + 1] & 0xFF;
            if (m == 0xFF || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
                i += m == 0xFF ? 1 : 2;
                continue;
            }
            int len = (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
            boolean sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
            if (sof || m == 0xF7) {
                if (i + 10 > b.length) {
                    break;
                }
                return new JpegMarkers(m, b[i + 4] & 0xFF, (b[i + 5] & 0xFF) << 8 | (b[i + 6] & 0xFF),
                        (b[i + 7] & 0xFF) << 8 | (b[i + 8] & 0xFF), b[i + 9] & 0xFF);
            }
            i += 2 + len;
        }
        throw new PixelDataException("JPEG codestream has no frame header (SOF)");
    }

    boolean lossless() { return sof == 0xC3 || sof == 0xC7 || sof == 0xCB || sof == 0xCF; }
}

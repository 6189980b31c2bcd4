package dev.steadfast.server.cli.importer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A cheap look at a file's first bytes: DICOM (worth parsing) or something else (skipped, not failed). */
final class Sniff {
    private Sniff() {
    }

    /**
     * True for a Part 10 file ("DICM" after the 128-byte preamble) and for a bare data set that
     * starts, as every stored instance does, with group 0002 or 0008 in little endian; anything
     * else (reports, oracles, images of other formats) is not DICOM. A bare big-endian data set
     * is not recognised: the core reader cannot tell its syntax without meta information either.
     */
    static boolean looksLikeDicom(Path file) throws IOException {
        byte[] b;
        try (InputStream in = Files.newInputStream(file)) {
            b = in.readNBytes(132);
        }
        if (b.length == 132 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M') {
            return true;
        }
        if (b.length < 8) {
            return false;
        }
        int group = (b[0] & 0xFF) | ((b[1] & 0xFF) << 8);
        return group == 0x0002 || group == 0x0008;
    }
}

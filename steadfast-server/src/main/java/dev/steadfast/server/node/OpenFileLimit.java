package dev.steadfast.server.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's open-file limit, for the default bound on HTTP connections ({@code http.max-connections} 0):
 * a quarter of it, at least 64, so that the rest stays for DICOM associations, stored files and the index.
 * Read from {@code /proc/self/limits} (Linux); elsewhere 4096 is assumed.
 */
final class OpenFileLimit {
    static final int ASSUMED = 4096;

    private OpenFileLimit() {
    }

    /** {@code configured} when set (above 0), else a quarter of the open-file limit, at least 64. */
    static int httpConnections(int configured) {
        if (configured > 0) {
            return configured;
        }
        return (int) Math.max(64, Math.min(Integer.MAX_VALUE, of(Path.of("/proc/self/limits")) / 4));
    }

    /** The soft "Max open files" of a limits file, or {@link #ASSUMED} when it cannot be read. */
    static long of(Path limits) {
        try {
            for (String line : Files.readAllLines(limits)) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
                    return soft.equals("unlimited") ? Integer.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or a format we do not know: the assumption below
        }
        return ASSUMED;
    }
}

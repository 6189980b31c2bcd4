package dev.steadfast.server.cli.importer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * What earlier runs imported, so an interrupted import run again skips those files without
 * reading them: one line per file, {@code size TAB mtime-millis TAB SOP-Instance-UID TAB absolute-path}.
 *
 * <p>It is only a shortcut: a hit is trusted only if the index still has the instance, and a
 * file imported but not yet written here (a crash in between) is simply ingested again, which
 * the archive's duplicate detection makes harmless. So lines are flushed but not fsync'd, and
 * a torn last line is ignored.
 */
public final class ImportJournal implements AutoCloseable {
    private final Map<String, String> done = new HashMap<>();
    private final Writer out;

    public ImportJournal(Path file, boolean readEarlierRuns) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (readEarlierRuns && Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] c = line.split("\t", 4);
                if (c.length == 4 && !c[2].isEmpty()) {
                    done.put(key(c[3], c[0], c[1]), c[2]);
                }
            }
        }
        out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND));
    }

    /** The SOP Instance UID an earlier run imported from this file unchanged (same size and time), or null. */
    String doneEarlier(Path file, long size, long mtime) {
        return done.get(key(file.toAbsolutePath().normalize().toString(), Long.toString(size), Long.toString(mtime)));
    }

    synchronized void record(Path file, long size, long mtime, String sopUid) throws IOException {
        String path = file.toAbsolutePath().normalize().toString();
        if (path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0) {
            return; // cannot be one line; such a file is just ingested again next time
        }
        out.write(size + "\t" + mtime + "\t" + sopUid + "\t" + path + "\n");
        out.flush();
    }

    private static String key(String path, String size, String mtime) {
        return size + "\t" + mtime + "\t" + path;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}

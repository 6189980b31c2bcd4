package dev.steadfast.server.ops;

import dev.steadfast.archive.index.Index;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * What {@code /health} checks, each time it is asked: the index answers a lookup, the storage
 * folder takes a small file (written, fsync'd and removed: a hidden {@code .tmp} name, so a crash
 * leaves only what the start-up sweep removes) with at least the reserve free, and the DICOM
 * listener is up. Ready only when all three are.
 */
public final class HealthCheck {
    private final Index index;
    private final Path storage;
    private final long minFreeBytes;
    private final BooleanSupplier dicomUp;

    public HealthCheck(Index index, Path storage, long minFreeBytes, BooleanSupplier dicomUp) {
        this.index = index;
        this.storage = storage;
        this.minFreeBytes = minFreeBytes;
        this.dicomUp = dicomUp;
    }

    /** Free and total bytes of the storage filesystem (-1 when unknown), and whether a probe file could be written. */
    public record StorageState(boolean writable, long freeBytes, long totalBytes, String error) {
    }

    public record Report(boolean indexReachable, String indexError, StorageState storage, long minFreeBytes, boolean dicomListening) {
        public boolean ready() {
            return indexReachable && storage.writable() && storage.freeBytes() >= minFreeBytes && dicomListening;
        }

        /** The JSON body of /health. */
        public String json() {
            StringBuilder b = new StringBuilder("{\"status\":\"").append(ready() ? "UP" : "DOWN").append("\",");
            b.append("\"index\":{\"reachable\":").append(indexReachable);
            if (indexError != null) {
                b.append(",\"error\":").append(quote(indexError));
            }
            b.append("},\"storage\":{\"writable\":").append(storage.writable())
                    .append(",\"freeBytes\":").append(storage.freeBytes())
                    .append(",\"totalBytes\":").append(storage.totalBytes())
                    .append(",\"minFreeBytes\":").append(minFreeBytes);
            if (storage.error() != null) {
                b.append(",\"error\":").append(quote(storage.error()));
            }
            b.append("},\"dicom\":{\"listening\":").append(dicomListening).append("}}");
            return b.toString();
        }
    }

    public Report check() {
        String indexError = null;
        try {
            index.read(tx -> tx.instances().find("0"));
        } catch (RuntimeException e) {
            indexError = String.valueOf(e.getMessage());
        }
        return new Report(indexError == null, indexError, storageState(), minFreeBytes, dicomUp.getAsBoolean());
    }

    /** Sizes only (no probe write): for /metrics. */
    public StorageState storageSizes() {
        try {
            FileStore fs = Files.getFileStore(storage);
            return new StorageState(true, fs.getUsableSpace(), fs.getTotalSpace(), null);
        } catch (IOException e) {
            return new StorageState(false, -1, -1, e.toString());
        }
    }

    private StorageState storageState() {
        StorageState sizes = storageSizes();
        if (sizes.error() != null) {
            return sizes;
        }
        Path probe = storage.resolve(".health-" + UUID.randomUUID() + ".tmp");
        try {
            Files.write(probe, new byte[] {1}, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.StandardOpenOption.SYNC);
            return sizes;
        } catch (IOException e) {
            return new StorageState(false, sizes.freeBytes(), sizes.totalBytes(), e.toString());
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // the start-up sweep removes it
            }
        }
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}

package dev.steadfast.archive.storage.replica;

import dev.steadfast.archive.health.CircuitBreaker;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.s3.S3Storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One storage target among several: its name (for reports), the storage, a cheap health
 * probe and its circuit breaker.
 */
public final class Target {
    /** Checks that the target answers and takes writes; throws when it does not. */
    @FunctionalInterface
    public interface Probe {
        void check() throws IOException;
    }

    private final String name;
    private final Storage storage;
    private final Probe probe;
    private final CircuitBreaker breaker;

    public Target(String name, Storage storage, Probe probe, CircuitBreaker breaker) {
        this.name = Objects.requireNonNull(name);
        this.storage = Objects.requireNonNull(storage);
        this.probe = Objects.requireNonNull(probe);
        this.breaker = Objects.requireNonNull(breaker);
    }

    /** A target with the default probe for its kind and a default breaker. */
    public static Target of(String name, Storage storage) {
        return new Target(name, storage, defaultProbe(storage), new CircuitBreaker(name));
    }

    static Probe defaultProbe(Storage storage) {
        return switch (storage) {
            case FileSystemStorage fs -> () -> checkDirectory(fs.root());
            case dev.steadfast.archive.storage.ImmutableStorage im -> defaultProbe(im.inner());
            case S3Storage s3 -> s3::ping;
            default -> () -> storage.exists(new dev.steadfast.archive.storage.StorageKey("health-probe"));
        };
    }

    /** Present, a directory, and writable: creating and removing a probe file proves it. */
    private static void checkDirectory(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("storage directory " + root + " is missing");
        }
        Path probe = Files.createTempFile(root, ".health-", ".tmp");
        Files.deleteIfExists(probe); // a node starting on a shared folder may have swept it already
    }

    public String name() { return name; }

    public Storage storage() { return storage; }

    public Probe probe() { return probe; }

    public CircuitBreaker breaker() { return breaker; }

    @Override
    public String toString() { return name; }
}

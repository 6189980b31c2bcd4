package dev.steadfast.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository checkout the tests run in (surefire runs in a module folder below it). */
public final class Checkout {
    private Checkout() {}

    /** The nearest folder at or above the working directory that holds {@code mvnw}. */
    public static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new AssertionError("no repository root (a folder with mvnw) at or above " + Path.of("").toAbsolutePath());
    }
}

package dev.steadfast.server.config;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the build put the web viewer: {@code target/viewer/package/dist} beside the application jar (or
 * beside {@code target/classes} when run from the build, as the tests do).
 */
final class ViewerLocation {
    private ViewerLocation() {}

    /** The unpacked build, or null when there is none (a build that skipped it). */
    static Path besideTheJar() {
        try {
            Path code = Path.of(ViewerLocation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dist = code.getParent().resolve("viewer/package/dist");
            return Files.isRegularFile(dist.resolve("index.html")) ? dist : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}

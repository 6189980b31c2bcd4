package dev.steadfast.web.testing;

import dev.steadfast.testing.Corpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** External programs the interop tests drive; absent ones skip the test (fail under CI=true). */
public final class Tools {
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    private Tools() {}

    public static void requirePython() {
        Corpus.requireOrSkip(Files.isExecutable(PYTHON), "/usr/bin/python3 not installed");
        Corpus.requireOrSkip(run(List.of(PYTHON.toString(), "-c", "import pydicom"), 30).exit == 0,
                "pydicom not installed for /usr/bin/python3 (apt-get install python3-pydicom)");
    }

    public static void require(String program) {
        Corpus.requireOrSkip(Files.isExecutable(Path.of(program)), program + " not installed");
    }

    public record Result(int exit, String output) {}

    /** Runs a program, output and errors merged, killing it after the timeout. */
    public static Result run(List<String> command, int timeoutSeconds) {
        try {
            Path log = Files.createTempFile("steadfast-tool", ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + timeoutSeconds + " s: "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-2, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-3, "interrupted");
        }
    }

    public static Path script(String name) {
        return Path.of("src/test/python", name).toAbsolutePath();
    }
}

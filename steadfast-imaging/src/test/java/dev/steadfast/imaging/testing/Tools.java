package dev.steadfast.imaging.testing;

import dev.steadfast.testing.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the independent decoders (dcmtk, gdcm) used as oracles; absent tools skip, or fail under CI. */
public final class Tools {
    private Tools() {}

    public static boolean available(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    public static void require(String tool) {
        Corpus.requireOrSkip(available(tool), tool + " is not installed");
    }

    /** Runs a command; returns its exit code, with output captured in the returned result. */
    public static Result run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), new String(out));
    }

    public record Result(int exitCode, String output) {
        public boolean ok() { return exitCode == 0; }
    }

    /** Decompresses with the tool that knows the syntax; null when every tool refuses the file. */
    public static Path decompress(Path in, String ts, Path dir) throws IOException, InterruptedException {
        Path out = dir.resolve("oracle-" + in.getFileName());
        List<List<String>> tries = new ArrayList<>();
        if (ts.startsWith("1.2.840.10008.1.2.4.5") || ts.startsWith("1.2.840.10008.1.2.4.7")) {
            tries.add(List.of("dcmdjpeg", in.toString(), out.toString()));
        } else if (ts.startsWith("1.2.840.10008.1.2.4.8")) {
            tries.add(List.of("dcmdjpls", in.toString(), out.toString()));
        } else if (ts.equals("1.2.840.10008.1.2.5")) {
            tries.add(List.of("dcmdrle", in.toString(), out.toString()));
        }
        tries.add(List.of("gdcmconv", "--raw", in.toString(), out.toString()));
        for (List<String> cmd : tries) {
            require(cmd.getFirst());
            if (run(cmd.toArray(String[]::new)).ok() && Files.size(out) > 0) {
                return out;
            }
        }
        return null;
    }
}

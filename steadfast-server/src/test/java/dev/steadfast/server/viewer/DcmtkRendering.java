package dev.steadfast.server.viewer;

import dev.steadfast.testing.Peers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The reference picture of one frame, by others' code: dcmtk's {@code dcmj2pnm} (uncompressed, JPEG, RLE),
 * {@code dcml2pnm} (JPEG-LS), or, for syntaxes dcmtk cannot decode (JPEG 2000, HTJ2K), GDCM's
 * {@code gdcmconv --raw} first. The file's first VOI window, else dcmtk's min-max window.
 */
final class DcmtkRendering {
    private DcmtkRendering() {}

    /** As {@link #render}, or null when neither dcmtk nor GDCM can read the file at all (a parse error). */
    static Path renderOrNull(Path file, int frame, Path png) throws Exception {
        try {
            return render(file, frame, png);
        } catch (AssertionError e) {
            if (e.getMessage().contains("Parse error") && e.getMessage().contains("Could not read")) {
                return null;
            }
            throw e;
        }
    }

    static Path render(Path file, int frame, Path png) throws Exception {
        StringBuilder tried = new StringBuilder();
        for (String tool : List.of("dcmj2pnm", "dcml2pnm")) {
            if (attempt(Peers.tool(tool), file, frame, png, tried)) {
                return png;
            }
        }
        Path raw = png.resolveSibling(png.getFileName() + ".raw.dcm");
        Peers.Result r = Peers.run(List.of(Peers.tool("gdcmconv"), "--raw", file.toString(), raw.toString()), 120);
        tried.append("gdcmconv --raw: ").append(r.output());
        if (r.exitCode() == 0 && attempt(Peers.tool("dcmj2pnm"), raw, frame, png, tried)) {
            return png;
        }
        throw new AssertionError("no reference rendering of " + file + ":\n" + tried);
    }

    private static boolean attempt(String tool, Path file, int frame, Path png, StringBuilder tried) throws Exception {
        for (List<String> window : List.of(List.of("+Wi", "1"), List.of("+Wm"))) {
            List<String> cmd = new java.util.ArrayList<>(List.of(tool, "+on"));
            cmd.addAll(window);
            cmd.addAll(List.of("+F", String.valueOf(frame), file.toString(), png.toString()));
            Peers.Result r = Peers.run(cmd, 120);
            if (r.exitCode() == 0 && Files.size(png) > 0) {
                return true;
            }
            tried.append(String.join(" ", cmd)).append(": ").append(r.output()).append('\n');
        }
        return false;
    }
}

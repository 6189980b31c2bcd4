package dev.steadfast.server.cli;

import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.ReadOptions;
import dev.steadfast.dicom.json.DicomJsonWriter;
import dev.steadfast.dicom.json.JsonOptions;
import dev.steadfast.server.cli.dump.DumpPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code steadfast dump}: a dcmdump-like listing of DICOM files. */
@Command(name = "dump",
        header = "Print a readable listing of DICOM files, like dcmdump.",
        description = {
                "Print the elements of DICOM files: tag, VR, value, length, VM and keyword,",
                "File Meta Information first, items of sequences indented.",
                "Binary values over 4 KiB (pixel data, for instance) are not read: they show as (not loaded).",
                "With --json: PS3.18 DICOM JSON of the data set (an array for several files), binary values",
                "over --inline-limit bytes as BulkDataURI.",
                "A file that cannot be parsed gives one line on stderr; the other files are still printed,",
                "and the exit code is 1."},
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class)
public final class DumpCommand implements Callable<Integer> {
    /** Like dcmdump -M: values longer than 4 KiB stay in the file. */
    public static final long LISTING_BULK_THRESHOLD = 4097;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "DICOM files (Part 10, or bare data sets)")
    List<Path> files;

    @Option(names = {"-w", "--width"}, paramLabel = "CHARS", defaultValue = "64",
            description = "Longest value shown, in characters; 0 shows values in full (default: ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--json", description = "Print PS3.18 DICOM JSON instead of the listing")
    boolean json;

    @Option(names = "--inline-limit", paramLabel = "BYTES", defaultValue = "1024",
            description = "With --json: binary values up to this long are inline (base64), longer ones "
                    + "a BulkDataURI (default: ${DEFAULT-VALUE})")
    long inlineLimit;

    @Override
    public Integer call() {
        if (width < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--width must be 0 or more");
        }
        if (inlineLimit < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--inline-limit must be 0 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DumpPrinter printer = new DumpPrinter(out, width);
        JsonOptions jsonOptions = new JsonOptions(inlineLimit, JsonOptions.DEFAULT.uris(), true);
        // Values over the inline limit become BulkDataURIs, so they need not be read at all.
        long bulkThreshold = json ? inlineLimit + 1 : LISTING_BULK_THRESHOLD;
        boolean array = json && files.size() > 1;
        if (array) {
            out.print("[");
        }
        int failed = 0;
        boolean first = true;
        for (Path file : files) {
            DicomFile parsed;
            try {
                parsed = DicomReader.readFile(file, ReadOptions.DEFAULT.withBulkDataThreshold(bulkThreshold));
            } catch (IOException | RuntimeException e) {
                out.flush(); // keep stdout and stderr in order on a terminal
                err.println("steadfast dump: " + file + ": " + describe(e));
                failed++;
                continue;
            }
            if (!first) {
                out.println(array ? "," : "");
            }
            first = false;
            if (json) {
                try {
                    DicomJsonWriter.write(parsed.dataset(), out, jsonOptions);
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // a PrintWriter does not throw; this is a bug
                }
            } else {
                printer.print(file.toString(), parsed);
            }
            out.flush();
        }
        if (array) {
            out.print("]");
        }
        if (json && !first) {
            out.println();
        }
        return failed == 0 ? 0 : 1;
    }

    /** One line a user can act on; the reader's own messages already name the byte offset. */
    static String describe(Exception e) {
        return switch (e) {
            case NoSuchFileException x -> "no such file";
            case AccessDeniedException x -> "permission denied";
            case IOException x when x.getMessage() != null -> oneLine(x.getMessage());
            case RuntimeException x -> "unexpected " + x.getClass().getSimpleName()
                    + (x.getMessage() == null ? "" : ": " + oneLine(x.getMessage())) + " (a bug: please report it)";
            default -> e.getClass().getSimpleName();
        };
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}

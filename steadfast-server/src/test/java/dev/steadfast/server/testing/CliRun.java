package dev.steadfast.server.testing;

import dev.steadfast.server.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One in-process run of the {@code steadfast} command line through {@link Main#execute}, as the
 * launcher runs it but without a child JVM: its exit status and what it printed on each stream.
 */
public record CliRun(int exitCode, String out, String err) {
    public static CliRun of(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.execute(new PrintWriter(o), new PrintWriter(e, true), args);
        return new CliRun(code, o.toString(), e.toString());
    }
}

package dev.steadfast.server;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    private static String[] run(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(Main.execute(new PrintWriter(out), new PrintWriter(err, true), args)).isEqualTo(expectedExit);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void anUnknownCommandIsNamedWithTheCommandsThereAre() {
        String err = run(2, "frobnicate")[1];
        assertThat(err.lines()).first().isEqualTo("steadfast: unknown command 'frobnicate' (commands: serve, dump, echo, send, find, get, move, verify, reindex, reconcile, import, user, help)");
        assertThat(err.lines()).last().isEqualTo("Try 'steadfast --help' for more information.");
    }

    @Test
    void versionAndHelpCommandWork() {
        assertThat(run(0, "--version")[0]).startsWith("steadfast ");
        assertThat(run(0, "help", "dump")[0]).contains("Usage: steadfast dump", "--width");
    }
}

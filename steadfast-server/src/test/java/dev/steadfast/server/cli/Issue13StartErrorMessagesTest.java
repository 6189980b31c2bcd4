package dev.steadfast.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.server.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: {@code serve} failed with messages that did not say what was wrong ("cannot start:
 * PATH", "Address already in use" without the port, "cannot read configuration file X: X"). Each
 * now says what is wrong and what to do, on one line. Run through the real command line.
 */
class Issue13StartErrorMessagesTest {
    @TempDir
    Path tmp;

    private String err;

    private int serve(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "serve";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = Main.execute(new PrintWriter(o), new PrintWriter(e, true), all);
        err = e.toString().strip();
        return code;
    }

    /** Servers in tests listen on loopback only; there is no flag for the DICOM address. */
    private Path loopbackOnly() throws java.io.IOException {
        return Files.writeString(tmp.resolve("loopback.yaml"), "dicom:\n  bind: 127.0.0.1\n");
    }

    @Test
    void aDataFolderThatIsAFileIsNamedAsSuch() throws Exception {
        Path file = Files.writeString(tmp.resolve("data"), "not a folder");
        assertThat(serve("--config", loopbackOnly().toString(), "--data", file.toString(), "--dicom-port", "0", "--http-port", "0")).isEqualTo(1);
        assertThat(err).isEqualTo("steadfast serve: cannot start: " + file + " is a file, not a folder: move it away, or choose "
                + "another data folder with --data (data)");
        assertThat(Files.readString(file)).isEqualTo("not a folder");
    }

    @Test
    void aDataFolderInsideAFileIsNamedAsSuch() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "not a folder");
        Path data = file.resolve("data");
        assertThat(serve("--config", loopbackOnly().toString(), "--data", data.toString(), "--dicom-port", "0", "--http-port", "0")).isEqualTo(1);
        assertThat(err).isEqualTo("steadfast serve: cannot start: part of " + data + " is a file, not a folder: move it away, or choose "
                + "another data folder with --data (data)");
    }

    /** A folder we may not write (even as root: Linux refuses new folders in /sys to everyone). */
    @Test
    void aDataFolderThatCannotBeWrittenSaysSo() throws Exception {
        Path data = Path.of("/sys/steadfast-issue13");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys/kernel")), "Linux /sys");
        assertThat(serve("--config", loopbackOnly().toString(), "--data", data.toString(), "--dicom-port", "0", "--http-port", "0")).isEqualTo(1);
        assertThat(err).startsWith("steadfast serve: cannot start: cannot create or write " + data + " (")
                .endsWith("): give the user running steadfast read and write access to it, or choose another data folder with --data (data)");
    }

    @Test
    void aBusyDicomPortIsNamedWithWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            assertThat(serve("--config", loopbackOnly().toString(), "--data", tmp.resolve("d").toString(), "--dicom-port",
                    String.valueOf(port), "--http-port", "0")).isEqualTo(1);
            assertThat(err).isEqualTo("steadfast serve: cannot start: DICOM port " + port + " on 127.0.0.1 is already in use (another "
                    + "steadfast serve, or another program, listens there): stop it, or choose another port with --dicom-port (dicom.port)");
        }
    }

    @Test
    void aBusyHttpPortIsNamedWithWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            assertThat(serve("--config", loopbackOnly().toString(), "--data", tmp.resolve("d").toString(), "--dicom-port", "0",
                    "--http-port", String.valueOf(port))).isEqualTo(1);
            assertThat(err).isEqualTo("steadfast serve: cannot start: HTTP port " + port + " on 127.0.0.1 is already in use (another "
                    + "steadfast serve, or another program, listens there): stop it, or choose another port with --http-port (http.port)");
        }
    }

    @Test
    void aMissingConfigurationFileIsNamedOnce() {
        Path missing = tmp.resolve("steadfast.yaml");
        assertThat(serve("--config", missing.toString())).isEqualTo(2);
        assertThat(err).isEqualTo("steadfast serve: bad configuration: configuration file " + missing.toAbsolutePath()
                + " does not exist; check the path given to --config");
    }

    @Test
    void aConfigurationFolderIsNotTakenForAFile() {
        assertThat(serve("--config", tmp.toString())).isEqualTo(2);
        assertThat(err).isEqualTo("steadfast serve: bad configuration: configuration file " + tmp.toAbsolutePath()
                + " is a folder; --config takes a YAML file");
    }
}

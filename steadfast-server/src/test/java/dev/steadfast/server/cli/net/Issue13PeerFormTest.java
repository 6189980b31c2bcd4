package dev.steadfast.server.cli.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.CliRun;
import dev.steadfast.server.testing.TestNodes;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: {@code send} took the peer as {@code --to AE@host:port} while echo, find, get and move
 * take it as their first argument. All five now take it first, and all accept {@code --to} as
 * well. Run through the real command line against an archive node wired as {@code serve} wires it.
 */
class Issue13PeerFormTest {
    @TempDir
    Path tmp;
    private ArchiveNode node;
    private String peer;
    private String out;
    private String err;

    @BeforeEach
    void start() throws Exception {
        node = TestNodes.start(tmp.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp.resolve("data")), Map.of(), List.of());
        peer = "STEADFAST@127.0.0.1:" + node.dicomPort();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private int steadfast(String... args) {
        CliRun run = CliRun.of(args);
        out = run.out();
        err = run.err();
        return run.exitCode();
    }

    private Path instance(int n) throws Exception {
        Dataset ds = new Dataset().setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage)
                .setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.14." + n)
                .setString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.14.100")
                .setString(Tag.SeriesInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.14.101");
        Path f = tmp.resolve("i" + n + ".dcm");
        try (OutputStream os = Files.newOutputStream(f)) {
            DicomWriter.writeFile(os, ds, UID.ExplicitVRLittleEndian);
        }
        return f;
    }

    @Test
    void everyNetworkCommandTakesThePeerFirstAndAcceptsTo() throws Exception {
        assertThat(steadfast("send", peer, instance(1).toString())).as(err).isZero();
        assertThat(out).startsWith("sent 1 of 1 to " + peer);
        assertThat(steadfast("send", "--to", peer, instance(2).toString())).as(err).isZero();
        assertThat(out).startsWith("sent 1 of 1 to " + peer);

        for (List<String> form : List.of(List.of(peer), List.of("--to", peer))) {
            assertThat(steadfast(args("echo", form))).as(err).isZero();
            assertThat(out).contains("success");
            assertThat(steadfast(args("find", form, "-L", "IMAGE", "-k", "StudyInstanceUID=1.2.826.0.1.3680043.10.14.100",
                    "-k", "SOPInstanceUID"))).as(err).isZero();
            assertThat(out.lines()).hasSize(2);
            assertThat(steadfast(args("get", form, "-k", "StudyInstanceUID=1.2.826.0.1.3680043.10.14.100", "-o",
                    tmp.resolve("got" + form.size()).toString()))).as(err).isZero();
            assertThat(out).contains("2 received");
            assertThat(steadfast(args("move", form, "--dest", "NOWHERE", "-k", "StudyInstanceUID=1.2.826.0.1.3680043.10.14.100")))
                    .isEqualTo(1);
            assertThat(out).contains("A801");
        }
    }

    @Test
    void aMissingOrDoublePeerIsAUsageError() {
        for (List<String> command : List.of(List.of("echo"), List.of("find"), List.of("get"), List.of("move", "--dest", "WS1"))) {
            assertThat(steadfast(command.toArray(String[]::new))).isEqualTo(2);
            assertThat(err).contains("missing the peer, AE@host:port (the first argument)");
        }
        assertThat(steadfast("echo", peer, "--to", "OTHER@127.0.0.1:1")).isEqualTo(2);
        assertThat(err).contains("two peers given");
        assertThat(steadfast("send", peer)).isEqualTo(2);
        assertThat(err).contains("no PATH to send");
        assertThat(steadfast("send", "file.dcm")).isEqualTo(2);
        assertThat(err).contains("the first argument must be the peer");
    }

    @Test
    void everyHelpShowsThePeerFirst() {
        for (String command : List.of("echo", "send", "find", "get", "move")) {
            assertThat(steadfast("help", command)).isZero();
            assertThat(out.lines().filter(l -> l.startsWith("Usage:")).findFirst().orElseThrow())
                    .startsWith("Usage: steadfast " + command + " AE@host:port ");
        }
    }

    private static String[] args(String command, List<String> peer, String... rest) {
        List<String> all = new java.util.ArrayList<>();
        all.add(command);
        all.addAll(peer);
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }
}

package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.UID;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.server.testing.CliProcess;
import dev.steadfast.testing.Peers;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, {@code serve} as an operator runs it (a child JVM, stopped with SIGTERM), with dcmtk's
 * echoscu and movescu as the peers:
 * <ul>
 * <li>while it shuts down, a new association was rejected as permanent ("calling AE title not
 *     recognized"), which tells a modality not to retry; it is now rejected-transient, temporary
 *     congestion (PS3.8 9.3.4);
 * <li>association rejections were logged by java.util.logging in another, two-line format, and a
 *     C-MOVE to an unknown destination left nothing in the log; every event is one line in the
 *     server's format now, with no patient data.
 * </ul>
 */
class Issue13ServeLogAndShutdownTest {
    /** slf4j-simple as Main configures it: time, [thread], level, logger - message. */
    private static final Pattern LOG_LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4} \\[[^\\]]+\\] (TRACE|DEBUG|INFO|WARN|ERROR) \\S+ - .+");
    private static final String PATIENT_ID = "SECRET-PID-13";

    @TempDir
    Path tmp;

    @Test
    void rejectionsAndRefusalsAreOneLogLineEachAndShutdownRejectsTransiently() throws Exception {
        String echoscu = Peers.tool("echoscu");
        String movescu = Peers.tool("movescu");
        try (CliProcess serve = CliProcess.start(tmp, Map.of("STEADFAST_SHUTDOWN_GRACE_SECONDS", "60", "STEADFAST_DICOM_BIND", "127.0.0.1"),
                "serve", "--data", "data", "--dicom-port", "0", "--http-port", "0")) {
            assertThat(serve.awaitStderr("listening on port", 120)).as("stderr: %s", serve.stderr()).isTrue();
            Matcher m = Pattern.compile("listening on port (\\d+)").matcher(serve.stderr());
            assertThat(m.find()).isTrue();
            String port = m.group(1);

            Peers.Result wrongTitle = Peers.run(List.of(echoscu, "-aet", "ECHOSCU", "-aec", "NOT-US", "127.0.0.1", port), 60);
            assertThat(wrongTitle.exitCode()).isNotZero();
            Peers.Result move = Peers.run(List.of(movescu, "-S", "-aet", "MOVESCU", "-aec", "STEADFAST", "-aem", "NOWHERE",
                    "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=" + PATIENT_ID, "127.0.0.1", port), 60);
            assertThat(move.output()).contains("MoveDestinationUnknown");

            // Hold an association open, so shutdown waits for it while refusing new ones.
            ClientOptions o = new ClientOptions().callingAeTitle("HOLDER").calledAeTitle("STEADFAST")
                    .propose(UID.Verification, UID.ImplicitVRLittleEndian);
            try (DimseClient held = DimseClient.open("127.0.0.1", Integer.parseInt(port), o)) {
                assertThat(serve.awaitStderr("association from HOLDER", 30)).isTrue();
                serve.terminate();
                assertThat(serve.awaitStderr("refusing new associations", 60)).as("stderr: %s", serve.stderr()).isTrue();
                Peers.Result during = Peers.run(List.of(echoscu, "-aet", "MODALITY", "-aec", "STEADFAST", "127.0.0.1", port), 60);
                assertThat(during.exitCode()).isNotZero();
                assertThat(during.output()).as("echoscu during shutdown").contains("Rejected Transient")
                        .containsIgnoringCase("Temporary Congestion").doesNotContainIgnoringCase("not recognized");
                held.release();
            }
            assertThat(serve.awaitExit(60)).as("serve stops once the held association is released (143: SIGTERM)").isIn(0, 143);

            String log = serve.stderr();
            assertThat(log).doesNotContain(PATIENT_ID);
            List<String> lines = log.lines().filter(l -> !l.isBlank()).filter(l -> !l.startsWith("steadfast serve: ")).toList();
            assertThat(lines).allSatisfy(l -> assertThat(l).matches(LOG_LINE));
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("association from ECHOSCU")
                    .contains("to NOT-US rejected, permanent: called AE title not recognized"));
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("C-MOVE from MOVESCU to destination NOWHERE refused: A801"));
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("association from MODALITY")
                    .contains("rejected, transient: temporary congestion"));
        }
    }
}

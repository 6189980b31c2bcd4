package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.config.ConfigException;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: {@code remote-aes.NAME.associations: N} lets a C-MOVE to that destination send its
 * sub-operations over N associations at once (default 1). What a user checks, through serve with
 * dcmtk's movescu and storescp: a destination that takes several associations at once
 * ({@code storescp --fork}) is sent the study over exactly as many as configured, one that takes
 * one at a time (plain storescp) still gets the whole study, both byte for byte as stored; an
 * out-of-range value is refused at start with the key named.
 */
class Issue19MoveAssociationsTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aMoveUsesTheConfiguredAssociationsAndStillDeliversToADestinationTakingOne() throws Exception {
        List<Process> peers = new ArrayList<>();
        Path forked = Files.createDirectories(tmp.resolve("forked"));
        Path single = Files.createDirectories(tmp.resolve("single"));
        int forkedPort = Peers.freePort();
        int singlePort = Peers.freePort();
        try {
            peers.add(Peers.start(List.of(Peers.tool("storescp"), "--fork", "-v", "+B", "-aet", "FORKED", "-od", forked.toString(),
                    String.valueOf(forkedPort)), tmp.resolve("forked.log")));
            peers.add(Peers.start(List.of(Peers.tool("storescp"), "-v", "+B", "-aet", "SINGLE", "-od", single.toString(),
                    String.valueOf(singlePort)), tmp.resolve("single.log")));
            Path yaml = Files.writeString(tmp.resolve("steadfast.yaml"), """
                    remote-aes:
                      forked: {ae-title: FORKED, host: 127.0.0.1, port: %d, associations: 3}
                      single: {ae-title: SINGLE, host: 127.0.0.1, port: %d, associations: 2}
                    """.formatted(forkedPort, singlePort));
            Path data = tmp.resolve("data");
            try (ArchiveNode node = ArchiveNode.start(TestNodes.config(yaml, data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data),
                    Map.of(), List.of()))) {
                Peers.awaitPort(forkedPort, peers.get(0), 10_000);
                Peers.awaitPort(singlePort, peers.get(1), 10_000);
                String study = Instances.uid();
                String series = Instances.uid();
                Map<String, byte[]> stored = new LinkedHashMap<>();
                try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("WS")
                        .calledAeTitle("STEADFAST").propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian))) {
                    for (int i = 0; i < 12; i++) {
                        String sop = Instances.uid();
                        Dataset ds = Instances.image(study, series, sop, 60_000 + 2048 * i);
                        assertThat(c.store(Instances.source(ds), null, -1).status()).isEqualTo(Status.SUCCESS);
                        stored.put(sop, DicomWriter.encode(ds, UID.ExplicitVRLittleEndian));
                    }
                }
                for (String dest : List.of("FORKED", "SINGLE")) {
                    Peers.Result r = Peers.run(List.of(Peers.tool("movescu"), "-S", "-aec", "STEADFAST", "-aem", dest,
                            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study, "127.0.0.1",
                            String.valueOf(node.dicomPort())), 60);
                    assertThat(r.exitCode()).as(r.output()).isZero();
                    assertThat(r.output()).as(dest).doesNotContain("Failed").doesNotContain("Warning");
                }
                ReceivedDataSets.assertSame(ReceivedDataSets.in(forked), stored, "storescp --fork");
                ReceivedDataSets.assertSame(ReceivedDataSets.in(single), stored, "storescp");
                assertThat(associations(tmp.resolve("forked.log"))).as("associations storescp --fork accepted").isEqualTo(3);
                assertThat(associations(tmp.resolve("single.log"))).as("associations storescp accepted, one after the other").isEqualTo(2);
            }
        } finally {
            peers.forEach(Peers::stop);
        }
    }

    @Test
    void anOutOfRangeNumberOfAssociationsIsRefusedAtStart() throws Exception {
        for (String n : List.of("0", "9", "two")) {
            Path yaml = Files.writeString(tmp.resolve("bad-" + n + ".yaml"), """
                    remote-aes:
                      ws: {ae-title: WS, host: 127.0.0.1, port: 11112, associations: %s}
                    """.formatted(n));
            Path data = tmp.resolve("data-" + n);
            assertThatThrownBy(() -> TestNodes.config(yaml, data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), Map.of(), List.of()))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("remote-aes.ws.associations");
        }
    }

    /** How many associations storescp -v accepted (one "Association Acknowledged" line each; the port probe gets none). */
    private static long associations(Path log) throws Exception {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("Association Acknowledged")).count();
        }
    }
}

package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.UID;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.TcpProxy;
import dev.steadfast.testing.Peers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, fallback retrieve: site B holds the only copy; site A (its peer B, through a link the
 * test can cut) answers WADO-RS and dcmtk's movescu (to storescp) by fetching from B, storing
 * locally (verified, through ingest) and serving. With the link cut (silent, as a dead WAN), the
 * same reads fail with a clear error naming the peer (WADO-RS 504, C-MOVE C000) instead of
 * hanging; restored, they work again.
 */
class Issue17FallbackRetrieveTest {
    private static final String AS_STORED = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";

    @TempDir
    Path tmp;

    /** Each stored SOP Instance UID's series, to store the same instance again elsewhere. */
    private static final Map<String, String> SERIES = new java.util.concurrent.ConcurrentHashMap<>();

    private final HttpClient http = HttpClient.newHttpClient();

    private static List<String> storeAtB(ArchiveNode b, String study, int n) throws Exception {
        ClientOptions o = new ClientOptions().callingAeTitle("MOD").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
        List<String> sops = new ArrayList<>();
        String series = Instances.uid();
        try (DimseClient c = DimseClient.open("127.0.0.1", b.dicomPort(), o)) {
            for (int i = 0; i < n; i++) {
                String sop = Instances.uid();
                sops.add(sop);
                SERIES.put(sop, series);
                assertThat(c.store(Instances.source(Instances.image(study, series, sop, 4096)), null, -1).status()).isEqualTo(Status.SUCCESS);
            }
        }
        return sops;
    }

    /** The same instances (same UIDs, same bytes, same calling AE) stored at another node. */
    private static void storeAt(ArchiveNode node, String study, List<String> sops) throws Exception {
        ClientOptions o = new ClientOptions().callingAeTitle("MOD").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
        try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
            for (String sop : sops) {
                var held = SERIES.get(sop);
                assertThat(c.store(Instances.source(Instances.image(study, held, sop, 4096)), null, -1).status()).isEqualTo(Status.SUCCESS);
            }
        }
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private HttpResponse<String> wado(ArchiveNode a, String study) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.httpPort() + "/dicom-web/studies/" + study))
                .header("Accept", AS_STORED).build(), HttpResponse.BodyHandlers.ofString(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    private static boolean heldAt(ArchiveNode node, String sop) {
        return node.index().read(tx -> tx.instances().find(sop)).isPresent();
    }

    private Peers.Result movescu(ArchiveNode a, String study) throws Exception {
        return Peers.run(List.of(Peers.tool("movescu"), "-S", "-aec", "STEADFAST", "-aem", "MOVEDEST", "-k", "QueryRetrieveLevel=STUDY",
                "-k", "StudyInstanceUID=" + study, "127.0.0.1", String.valueOf(a.dicomPort())), 60);
    }

    private static List<String> received(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aReadThatFindsNoLocalCopyFetchesItFromThePeerAndACutLinkIsAClearError() throws Exception {
        Path dataA = tmp.resolve("a");
        Path dataB = tmp.resolve("b");
        Path dest = Files.createDirectories(tmp.resolve("dest"));
        int destPort = Peers.freePort();
        Process storescp = Peers.start(List.of(Peers.tool("storescp"), "+B", "-aet", "MOVEDEST", "-od", dest.toString(),
                String.valueOf(destPort)), tmp.resolve("storescp.log"));
        // B wants credentials (built-in users): A signs in as a user with the read and admin roles.
        Path users = tmp.resolve("users");
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("site-a password 17\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            var added = dev.steadfast.server.testing.CliRun.of("user", "add", "--users-file", users.toString(), "--roles", "read,admin",
                    "--password-stdin", "site-a");
            assertThat(added.exitCode()).as(added.out() + added.err()).isZero();
        } finally {
            System.setIn(stdin);
        }
        try (ArchiveNode b = TestNodes.start(dataB, TestNodes.indexUrl(TestNodes.Db.SQLITE, dataB),
                Map.of("http.auth.users-file", users.toString()), List.of());
             TcpProxy link = TcpProxy.start("127.0.0.1", b.httpPort(), TcpProxy.Mode.SILENT);
             ArchiveNode a = TestNodes.start(dataA, TestNodes.indexUrl(TestNodes.Db.SQLITE, dataA), Map.of(
                     "sites.peer.url", "http://127.0.0.1:" + link.port(), "sites.peer.timeout-seconds", "2",
                     "sites.peer.user", "site-a", "sites.peer.password", "site-a password 17"),
                     List.of("DEST=MOVEDEST@127.0.0.1:" + destPort))) {
            Peers.awaitPort(destPort, storescp, 10_000);

            // WADO-RS: B holds the only copy; A answers with every instance and keeps them.
            String viaWado = Instances.uid();
            List<String> wadoSops = storeAtB(b, viaWado, 3);
            HttpResponse<String> r = wado(a, viaWado);
            assertThat(r.statusCode()).as(r.body().substring(0, Math.min(300, r.body().length()))).isEqualTo(200);
            for (String sop : wadoSops) {
                assertThat(r.body()).contains(sop);
                assertThat(heldAt(a, sop)).as("stored at A").isTrue();
                assertThat(a.index().read(tx -> tx.instances().find(sop)).orElseThrow().record().datasetSha256())
                        .isEqualTo(b.index().read(tx -> tx.instances().find(sop)).orElseThrow().record().datasetSha256());
            }

            for (String sop : wadoSops) { // both sites write the same File Meta Information: bit-identical copies
                assertThat(a.index().read(tx -> tx.instances().find(sop)).orElseThrow().record().sha256())
                        .isEqualTo(b.index().read(tx -> tx.instances().find(sop)).orElseThrow().record().sha256());
            }

            // Indexed here but the file gone (lost disk): restored from the peer's identical copy on read.
            String both = Instances.uid();
            List<String> bothSops = storeAtB(b, both, 2);
            storeAt(a, both, bothSops);
            var lost = a.index().read(tx -> tx.instances().find(bothSops.get(1))).orElseThrow().record();
            Path lostFile = a.storage().root().resolve(lost.storageKey());
            Files.delete(lostFile);
            HttpResponse<String> whole = wado(a, both);
            assertThat(whole.statusCode()).as(whole.body().substring(0, Math.min(300, whole.body().length()))).isEqualTo(200);
            assertThat(whole.body()).contains(bothSops.get(0), bothSops.get(1));
            assertThat(Files.exists(lostFile)).isTrue();
            assertThat(sha256(lostFile)).isEqualTo(lost.sha256());

            // C-MOVE (dcmtk movescu to storescp): the same, through the DIMSE front door.
            String viaMove = Instances.uid();
            List<String> moveSops = storeAtB(b, viaMove, 2);
            Peers.Result moved = movescu(a, viaMove);
            assertThat(moved.exitCode()).as(moved.output()).isZero();
            assertThat(received(dest)).as(moved.output()).containsExactlyInAnyOrderElementsOf(
                    moveSops.stream().map(s -> "SC." + s).toList());

            // C-GET (dcmtk getscu): the same over the requestor's own association.
            String viaGet = Instances.uid();
            List<String> getSops = storeAtB(b, viaGet, 2);
            Path got = Files.createDirectories(tmp.resolve("got"));
            Peers.Result gotten = Peers.run(List.of(Peers.tool("getscu"), "-S", "-aec", "STEADFAST", "-k", "QueryRetrieveLevel=STUDY",
                    "-k", "StudyInstanceUID=" + viaGet, "-od", got.toString(), "127.0.0.1", String.valueOf(a.dicomPort())), 60);
            assertThat(gotten.exitCode()).as(gotten.output()).isZero();
            assertThat(received(got)).as(gotten.output()).containsExactlyInAnyOrderElementsOf(getSops.stream().map(x -> "SC." + x).toList());

            // The link cut: a clear error naming the peer, no hang, nothing stored.
            String cutOff = Instances.uid();
            List<String> cutSops = storeAtB(b, cutOff, 1);
            link.cut();
            HttpResponse<String> down;
            try (dev.steadfast.testing.CapturedStderr log = new dev.steadfast.testing.CapturedStderr()) {
                down = wado(a, cutOff);
                // An expected answer to a link that is down: one WARN line, not an ERROR with a stack trace.
                assertThat(log.text()).contains("WARN dev.steadfast.web.http.RouteHandler - DICOMweb request refused: 504")
                        .doesNotContain("ERROR dev.steadfast.web.http.RouteHandler").doesNotContain("\tat ");
            }
            assertThat(down.statusCode()).as(down.body()).isEqualTo(504);
            assertThat(down.body()).contains("peer site", "no answer within 2 s");
            Peers.Result refused = movescu(a, cutOff);
            assertThat(refused.output()).contains("Failed: UnableToProcess"); // C000, its error comment naming the peer
            assertThat(heldAt(a, cutSops.get(0))).isFalse();
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.httpPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("steadfast_fallback_retrieved_total 7\n", "steadfast_fallback_failures_total 2\n",
                    "steadfast_fallback_restored_total 1\n");

            link.restore();
            assertThat(wado(a, cutOff).statusCode()).isEqualTo(200);
            assertThat(heldAt(a, cutSops.get(0))).isTrue();
        } finally {
            Peers.stop(storescp);
        }
        // What came from the peer is in A's audit trail as received from it, as a C-STORE would be.
        assertThat(Files.readString(dataA.resolve("audit/access.log"))).contains("PEER-SITE");
    }
}

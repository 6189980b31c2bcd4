package dev.steadfast.server.forward;

import static dev.steadfast.server.forward.ForwardingRig.await;
import static dev.steadfast.server.forward.ForwardingRig.get;
import static dev.steadfast.server.forward.ForwardingRig.inventory;
import static dev.steadfast.server.forward.ForwardingRig.queue;
import static dev.steadfast.server.forward.ForwardingRig.storescu;
import static dev.steadfast.server.forward.ForwardingRig.studyOf;
import static dev.steadfast.server.forward.ForwardingRig.unchecked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Peers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, "central down": modality -> edge -> central. The edge forwards everything to central
 * (a steadfast destination) and has central as its peer (fallback retrieve, eviction). Central is
 * closed while three storescu associations send to the edge and stays down while three more do:
 * every send succeeds, the edge answers C-FIND, QIDO-RS and WADO-RS for the studies that arrived
 * during the outage, and when central returns (same data, same port) the backlog drains by itself:
 * both inventories (index rows and /api/inventory) end identical, nothing acknowledged is lost.
 * (The issue's two-minute outage with central killed -9 is bench/edge-outage.sh; here a few seconds.)
 */
class Issue17CentralDownTest {
    @TempDir
    Path tmp;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ArchiveNode central(Path dir, int httpPort) throws Exception {
        return ForwardingRig.node(dir, null, Map.of("dicom.ae-title", "CENTRAL", "http.port", String.valueOf(httpPort)), List.of());
    }

    /** /api/inventory/studies without the arrival times. */
    private static String studies(ArchiveNode node) throws Exception {
        return get(node, "/api/inventory/studies?limit=1000").body().replaceAll(",\"lastReceived\":[0-9]+", "");
    }

    /** Three storescu associations at once, each with its share of {@code files}. */
    private static void threeAssociations(ArchiveNode edge, List<Path> files) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                List<Path> share = new ArrayList<>();
                for (int j = i; j < files.size(); j += 3) {
                    share.add(files.get(j));
                }
                sends.add(pool.submit(() -> {
                    storescu(edge, "MODALITY", share); // asserts storescu's exit code 0: every C-STORE succeeded
                    return null;
                }));
            }
            for (Future<?> f : sends) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void centralDownMidIngestLosesNothingAndTheEdgeServesMeanwhile() throws Exception {
        List<Path> files = ForwardingRig.instances(12);
        int centralHttp = Peers.freePort();
        String url = "http://127.0.0.1:" + centralHttp;
        String yaml = """
                forwarding:
                  retry-initial-ms: 100
                  retry-max-seconds: 1
                  poll-ms: 100
                  batch: 2
                  destinations:
                    central:
                      type: steadfast
                      url: %s
                  rules:
                    - destination: central
                """.formatted(url);
        ArchiveNode c = central(tmp.resolve("central"), centralHttp);
        try (ArchiveNode edge = ForwardingRig.node(tmp.resolve("edge"), yaml, Map.of("dicom.ae-title", "STEADFAST",
                "sites.peer.url", url, "sites.peer.timeout-seconds", "2"), List.of())) {
            try {
                threeAssociations(edge, files.subList(0, 6));
                await("some of it reaches central", unchecked(() -> !inventory(c).isEmpty()));
                c.close(); // central gone, possibly in the middle of a batch
                threeAssociations(edge, files.subList(6, 12)); // every C-STORE still succeeds at the edge
                assertThat(inventory(edge)).hasSize(12);
                await("the edge retries unreachable central", unchecked(() -> queue(edge, "central", "failed") >= 2));
                assertThat(queue(edge, "central", "depth")).isPositive();

                // During the outage the edge answers for what arrived during it.
                String study = studyOf(files.get(11));
                Peers.Result find = Peers.run(List.of(Peers.tool("findscu"), "-v", "-S", "-aet", "WS", "-aec", "STEADFAST",
                        "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study, "-k", "NumberOfStudyRelatedInstances",
                        "127.0.0.1", String.valueOf(edge.dicomPort())), 30);
                assertThat(find.exitCode()).as(find.output()).isZero();
                assertThat(find.output()).contains(study).doesNotContain("Failed");
                HttpResponse<String> qido = get(edge, "/dicom-web/studies?StudyInstanceUID=" + study);
                assertThat(qido.statusCode()).isEqualTo(200);
                assertThat(qido.body()).contains(study);
                HttpResponse<byte[]> wado = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.httpPort()
                                + "/dicom-web/studies/" + study))
                        .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*").build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(wado.statusCode()).isEqualTo(200);
                assertThat(new String(wado.body(), java.nio.charset.StandardCharsets.ISO_8859_1)).contains("DICM");
            } finally {
                c.close();
            }

            // Central returns with its data on the same address: the backlog drains without anyone touching it.
            try (ArchiveNode back = central(tmp.resolve("central"), centralHttp)) {
                await("the edge's backlog drains to central", unchecked(() -> queue(edge, "central", "depth") == 0));
                assertThat(new TreeMap<>(inventory(back))).isEqualTo(new TreeMap<>(inventory(edge))).hasSize(12);
                // Study by study the same count and digest (lastReceived is each site's own arrival time).
                assertThat(studies(back)).isEqualTo(studies(edge)).contains("\"instances\":1");
                assertThat(queue(edge, "central", "deadLetters")).isZero();
            }
        }
    }
}

package dev.steadfast.server.forward;

import static dev.steadfast.server.forward.ForwardingRig.await;
import static dev.steadfast.server.forward.ForwardingRig.inventory;
import static dev.steadfast.server.forward.ForwardingRig.queue;
import static dev.steadfast.server.forward.ForwardingRig.sopOf;
import static dev.steadfast.server.forward.ForwardingRig.storescu;
import static dev.steadfast.server.forward.ForwardingRig.studyOf;
import static dev.steadfast.server.forward.ForwardingRig.unchecked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.index.DeletionRepository;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.web.auth.ApiTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, tombstones: A forwards to another Steadfast (STOW-RS, byte for byte, with an API token
 * of a B user allowed to write and delete); a study deleted at A through the admin API is deleted
 * at B through B's admin API, with the reason, so no copy of it is left to come back. B's other
 * studies stay. On B, a reader may see /api/forwarding but not pause anything.
 */
class Issue17DeletionTravelsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    @Test
    void aStudyDeletedAtTheSourceIsDeletedAtTheSteadfastDestination() throws Exception {
        List<Path> files = ForwardingRig.instances(2);
        String forwarder = ApiTokens.newToken();
        String reader = ApiTokens.newToken();
        Path users = Files.writeString(Files.createDirectories(tmp.resolve("b-conf")).resolve("users"),
                "forwarder:write,admin:" + ApiTokens.hash(forwarder) + "\nviewer:read:" + ApiTokens.hash(reader) + "\n");
        try (ArchiveNode b = ForwardingRig.node(tmp.resolve("b"), null, Map.of("dicom.ae-title", "SITEB",
                "api.delete-enabled", "true", "http.auth.users-file", users.toString()), List.of());
             ArchiveNode a = ForwardingRig.node(tmp.resolve("a"), """
                     forwarding:
                       retry-initial-ms: 100
                       poll-ms: 100
                       destinations:
                         site-b:
                           type: steadfast
                           url: http://127.0.0.1:%d
                           bearer-token: %s
                       rules:
                         - destination: site-b
                     """.formatted(b.httpPort(), forwarder), Map.of("dicom.ae-title", "SITEA", "api.delete-enabled", "true"), List.of())) {
            storescu(a, "MODALITY", files);
            await("both instances reach B", unchecked(() -> inventory(b).size() == 2));
            assertThat(inventory(b)).isEqualTo(inventory(a)); // STOW-RS of the stored object: same data set bytes

            String study = studyOf(files.get(0));
            assertThat(ForwardingRig.delete(a, "/api/studies/" + study + "?reason=wrong+patient").statusCode()).isEqualTo(200);
            await("the deletion reaches B", unchecked(() -> !inventory(b).containsKey(sopOf(files.get(0)))));
            assertThat(inventory(b)).containsOnlyKeys(sopOf(files.get(1)));
            List<DeletionRepository.Deletion> tombstones = b.index().read(tx -> tx.deletions().ofStudy(study));
            assertThat(tombstones).singleElement().satisfies(d -> {
                assertThat(d.reason()).isEqualTo("deleted at the source archive: wrong patient");
                assertThat(d.completedAt()).isNotNull();
            });
            await("A counts the deletion as sent", unchecked(() -> queue(a, "site-b", "sent") == 3));
            assertThat(queue(a, "site-b", "depth")).isZero();

            // Showing the queues takes the read role, controlling them admin.
            String bApi = "http://127.0.0.1:" + b.httpPort() + "/api/forwarding";
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(bApi)).header("Authorization", "Bearer " + reader).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(bApi + "/site-a/pause")).header("Authorization", "Bearer " + reader)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(bApi)).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(401);
        }
    }
}

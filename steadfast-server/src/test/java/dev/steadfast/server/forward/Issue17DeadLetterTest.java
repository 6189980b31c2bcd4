package dev.steadfast.server.forward;

import static dev.steadfast.server.forward.ForwardingRig.await;
import static dev.steadfast.server.forward.ForwardingRig.get;
import static dev.steadfast.server.forward.ForwardingRig.inventory;
import static dev.steadfast.server.forward.ForwardingRig.post;
import static dev.steadfast.server.forward.ForwardingRig.queue;
import static dev.steadfast.server.forward.ForwardingRig.sopOf;
import static dev.steadfast.server.forward.ForwardingRig.storescu;
import static dev.steadfast.server.forward.ForwardingRig.unchecked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.server.node.ArchiveNode;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, dead letters: B already holds another version of an instance and refuses the new one
 * (C-STORE status 0111, its duplicate policy). After the configured number of refusals the entry
 * is a dead letter whose reason /api/forwarding shows, and the ordered queue moves on behind it.
 * Once the conflict is removed at B, "retry" delivers it.
 */
class Issue17DeadLetterTest {
    @TempDir
    Path tmp;

    private static final String YAML = """
            forwarding:
              max-attempts: 2
              retry-initial-ms: 50
              retry-max-seconds: 1
              poll-ms: 100
              destinations:
                site-b:
                  type: dicom
                  remote-ae: site-b
              rules:
                - destination: site-b
                  calling-ae: "MOD*"
            """;

    @Test
    void refusalsEndInADeadLetterWithItsReasonAndRetryDeliversIt() throws Exception {
        List<Path> files = ForwardingRig.instances(2);
        Path original = files.get(0);
        Path other = files.get(1);
        var parsed = DicomReader.readFile(original);
        Dataset changed = parsed.dataset();
        changed.setString(Tag.ImageComments, VR.LT, "a second version, same SOP Instance UID");
        Path second = tmp.resolve("second.dcm");
        try (OutputStream out = Files.newOutputStream(second)) {
            DicomWriter.writeFile(out, changed, "1.2.840.10008.1.2.1");
        }
        try (ArchiveNode b = ForwardingRig.node(tmp.resolve("b"), null, Map.of("dicom.ae-title", "SITEB",
                "api.delete-enabled", "true"), List.of());
             ArchiveNode a = ForwardingRig.node(tmp.resolve("a"), YAML, Map.of("dicom.ae-title", "SITEA"),
                     List.of("site-b=SITEB@127.0.0.1:" + b.dicomPort()))) {
            storescu(b, "OTHERSITE", List.of(original)); // B's own copy, a different version
            storescu(a, "MODALITY", List.of(second, other));

            await("the refused instance becomes a dead letter", unchecked(() -> queue(a, "site-b", "deadLetters") == 1));
            await("the queue moves on behind it", unchecked(() -> queue(a, "site-b", "depth") == 0));
            String shown = get(a, "/api/forwarding").body();
            assertThat(shown).contains("\"sopInstanceUID\":\"" + sopOf(second) + "\"")
                    .contains("C-STORE refused, status")
                    .contains("\"attempts\":2");
            assertThat(get(a, "/metrics").body()).contains("steadfast_forward_dead_letters{destination=\"site-b\"} 1");
            assertThat(inventory(b)).containsEntry(sopOf(other), inventory(a).get(sopOf(other)));
            assertThat(inventory(b).get(sopOf(original))).isNotEqualTo(inventory(a).get(sopOf(original)));

            // An operator removes the conflict at B and retries the dead letter.
            String study = ForwardingRig.studyOf(original);
            assertThat(ForwardingRig.delete(b, "/api/studies/" + study + "?reason=conflicting+copy").statusCode()).isEqualTo(200);
            assertThat(post(a, "/api/forwarding/site-b/retry").body()).contains("\"requeued\":1");
            await("the retried entry is delivered", unchecked(() -> queue(a, "site-b", "sent") == 2));
            assertThat(queue(a, "site-b", "deadLetters")).isZero();
            assertThat(inventory(b).get(sopOf(second))).isEqualTo(inventory(a).get(sopOf(second)));
        }
    }
}

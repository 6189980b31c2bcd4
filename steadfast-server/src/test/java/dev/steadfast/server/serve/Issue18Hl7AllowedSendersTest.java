package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: an HL7 message carries no identity, yet an ADT^A40 merges two patients' studies and an A08
 * renames a patient. The HL7 port used to take such messages from any address that reached it (it binds
 * to 0.0.0.0 by default). Now only {@code hl7.allowed-senders} may connect (default loopback, like
 * {@code access.trusted-networks}); anyone else's connection is closed unanswered, nothing is applied,
 * and the refusal is in the audit trail (Security Alert) and the log.
 */
class Issue18Hl7AllowedSendersTest {
    @TempDir
    Path tmp;

    @Test
    void aSenderNotAllowedIsClosedUnansweredAndAudited() throws Exception {
        Path data = tmp.resolve("data");
        // 192.0.2.0/24 is TEST-NET-1: the test's own loopback connection is not allowed.
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data),
                Map.of("hl7.port", "0", "hl7.bind", "127.0.0.1", "hl7.allowed-senders", "192.0.2.0/24"), List.of())) {
            String merge = "MSH|^~\\&|EVIL|X|STEADFAST|HOSP|20261207090000||ADT^A40^ADT_A39|EVIL1|P|2.5.1\r"
                    + "EVN|A40\rPID|1||P18-KEEP^^^HOSP||KEEP^PAT\rMRG|P18-GONE^^^HOSP\r";
            try (Socket s = new Socket("127.0.0.1", node.hl7().port())) {
                s.setSoTimeout(30_000);
                String answer;
                try {
                    answer = send(s, merge.getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    answer = ""; // reset: closed without an answer too
                }
                assertThat(answer).as("no acknowledgement of any kind").doesNotContain("MSA");
            }
            assertThat(Files.exists(data.resolve("hl7-journal")) ? Files.list(data.resolve("hl7-journal")).toList() : List.of())
                    .as("nothing journaled").isEmpty();
        }
        assertThat(Files.readString(data.resolve("audit/access.log")))
                .contains("HL7 connection refused: address not in hl7.allowed-senders").contains("127.0.0.1");
    }

    /** One MLLP frame out; what comes back before the connection ends (empty when closed unanswered). */
    private static String send(Socket s, byte[] message) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(0x0b);
        out.write(message);
        out.write(new byte[] {0x1c, 0x0d});
        out.flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != 0x1c) {
            answer.write(c);
        }
        return answer.toString(StandardCharsets.ISO_8859_1);
    }
}

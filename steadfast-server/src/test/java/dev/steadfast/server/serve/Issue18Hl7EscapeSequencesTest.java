package dev.steadfast.server.serve;

import static dev.steadfast.server.serve.DimsePeer.strip;
import static dev.steadfast.server.serve.Hl7Client.msh;
import static dev.steadfast.server.serve.Hl7Client.seg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: HL7 escape sequences are undone before a field becomes a DICOM value, so {@code \E\} is a
 * backslash (DICOM's value separator) and {@code \S\} a caret (a person name's component separator).
 * Such a field must not split a Patient ID into two or shift a name's components: the message is
 * answered AE (102, data type error) naming the field, kept as a dead letter, and nothing stored changes.
 * Escapes that give ordinary characters ({@code \T\} is {@code &}) are applied as before.
 */
class Issue18Hl7EscapeSequencesTest {
    @TempDir
    Path tmp;

    private final java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();

    @Test
    void escapesThatWouldSplitADicomValueAreRefusedAndOrdinaryOnesApplied() throws Exception {
        java.io.PrintStream err = System.err; // serve logs to stderr (slf4j-simple): keep a copy
        System.setErr(new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                err.write(b);
                synchronized (log) {
                    log.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                err.write(b, off, len);
                synchronized (log) {
                    log.write(b, off, len);
                }
            }
        }, true));
        try {
            run();
        } finally {
            System.setErr(err);
        }
        // The server log says which field, never the name it held.
        String printed;
        synchronized (log) {
            printed = log.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(printed).contains("PID-5.1").doesNotContain("BRIEN");
    }

    private void run() throws Exception {
        try (ArchiveNode node = TestNodes.start(tmp.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp.resolve("data")),
                Map.of("hl7.port", "0", "hl7.bind", "127.0.0.1"), List.of());
             Hl7Client hl7 = new Hl7Client(node.hl7().port())) {
            Dataset ct = Instances.image(Instances.uid(), Instances.uid(), Instances.uid(), 256);
            ct.setString(Tag.PatientID, VR.LO, "P18-ESC");
            ct.setString(Tag.PatientName, VR.PN, "OLD^NAME");
            DimsePeer.store(tmp, node.dicomPort(), ct);

            // \S\ in the family name: the DICOM name would read family "O", given "BRIEN".
            Hl7Client.Ack caret = hl7.send(msh("ADT^A08^ADT_A01"), seg("EVN", 1, "A08"),
                    seg("PID", 1, "1", 3, "P18-ESC^^^HOSP", 5, "O\\S\\BRIEN^PAT"));
            assertThat(caret.code()).as(caret.text()).isEqualTo("AE");
            assertThat(caret.errorCode()).isEqualTo("102");
            assertThat(caret.text()).contains("PID-5.1").doesNotContain("BRIEN");
            // \E\ in the given name: a second DICOM value.
            Hl7Client.Ack backslash = hl7.send(msh("ADT^A08^ADT_A01"), seg("EVN", 1, "A08"),
                    seg("PID", 1, "1", 3, "P18-ESC^^^HOSP", 5, "SMITH^ANN\\E\\MARY"));
            assertThat(backslash.code()).as(backslash.text()).isEqualTo("AE");
            assertThat(backslash.text()).contains("PID-5.2");
            assertThat(names(node)).containsExactly("OLD^NAME");

            // An order whose Patient ID would be two values: no worklist item.
            Hl7Client.Ack order = hl7.send(msh("ORM^O01^ORM_O01"), seg("PID", 1, "1", 3, "12\\E\\34^^^HOSP", 5, "NEW^PAT"),
                    seg("ORC", 1, "NW", 2, "ORD-18-ESC"), seg("OBR", 1, "1", 2, "ORD-18-ESC", 18, "ACC-18-ESC", 24, "CT"));
            assertThat(order.code()).as(order.text()).isEqualTo("AE");
            assertThat(order.text()).contains("PID-3.1");
            assertThat(DimsePeer.find(tmp, "STEADFAST", node.dicomPort(), "-W", List.of("PatientID", "AccessionNumber"))).isEmpty();

            HttpResponse<String> dead = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + node.httpPort() + "/api/hl7/dead-letters")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(dead.body()).contains("PID-5.1 holds a caret").contains("PID-5.2 holds a backslash")
                    .contains("PID-3.1 holds a backslash");

            // \T\ is "&": an ordinary character in a DICOM name, applied.
            Hl7Client.Ack ampersand = hl7.send(msh("ADT^A08^ADT_A01"), seg("EVN", 1, "A08"),
                    seg("PID", 1, "1", 3, "P18-ESC^^^HOSP", 5, "O\\T\\BRIEN^PAT"));
            assertThat(ampersand.code()).as(ampersand.text()).isEqualTo("AA");
            assertThat(names(node)).containsExactly("O&BRIEN^PAT");
        }
    }

    private List<String> names(ArchiveNode node) throws Exception {
        return DimsePeer.find(tmp, "STEADFAST", node.dicomPort(), "-S",
                List.of("QueryRetrieveLevel=STUDY", "PatientID=P18-ESC", "PatientName")).stream()
                .map(d -> strip(d.getString(Tag.PatientName))).toList();
    }
}

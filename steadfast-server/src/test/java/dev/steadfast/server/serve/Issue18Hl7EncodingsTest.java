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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: what an HL7 message's bytes and escapes mean reaches DICOM unchanged, or the message is refused.
 * <p>
 * Character sets (MSH-18): a Latin-1 name sent as {@code 8859/1} is read as Latin-1; the same bytes without
 * MSH-18 are no UTF-8 and used to become U+FFFD in the worklist and the stored studies, answered AA: now AR
 * (102), nothing changed, the connection goes on; a set not supported ({@code ISO IR87}) is AR too.
 * <p>
 * Escapes: HL7 escape sequences are undone before a field becomes a DICOM value, so {@code \E\} is a
 * backslash (DICOM's value separator) and {@code \S\} a caret (a person name's component separator).
 * Such a field must not split a Patient ID into two or shift a name's components: the message is
 * answered AE (102, data type error) naming the field, kept as a dead letter, and nothing stored changes.
 * Escapes that give ordinary characters ({@code \T\} is {@code &}) are applied as before.
 * <p>
 * Lengths and UIDs: a value longer than its DICOM attribute holds (an Accession Number, SH, of 20
 * characters) or an IPC-3 that is no UID went into the worklist as sent; now AE (102) naming field and limit.
 */
class Issue18Hl7EncodingsTest {
    @TempDir
    Path tmp;

    private final java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();

    @Test
    void charactersAndEscapesReachDicomUnchangedOrTheMessageIsRefused() throws Exception {
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

            charsets(node);

            // Values that do not fit their DICOM attribute: an Accession Number (SH) of 20, a Study UID that is none.
            Hl7Client.Ack longAccession = hl7.send(msh("ORM^O01^ORM_O01"), seg("PID", 1, "1", 3, "P18-LEN^^^HOSP", 5, "LEN^PAT"),
                    seg("ORC", 1, "NW", 2, "ORD-18-LEN"), seg("OBR", 1, "1", 2, "ORD-18-LEN", 18, "ACC-18-20-CHARACTERS", 24, "CT"));
            assertThat(longAccession.code()).as(longAccession.text()).isEqualTo("AE");
            assertThat(longAccession.errorCode()).isEqualTo("102");
            assertThat(longAccession.text()).contains("OBR-18").contains("Accession Number (SH) holds at most 16");
            Hl7Client.Ack badUid = hl7.send(msh("OMI^O23^OMI_O23"), seg("PID", 1, "1", 3, "P18-LEN^^^HOSP", 5, "LEN^PAT"),
                    seg("ORC", 1, "NW", 2, "ORD-18-UID"), seg("OBR", 1, "1", 2, "ORD-18-UID"),
                    seg("IPC", 1, "ACC-18-UID", 3, "1.2.abc.01", 4, "SPS-18-UID", 5, "CT"));
            assertThat(badUid.code()).as(badUid.text()).isEqualTo("AE");
            assertThat(badUid.text()).contains("IPC-3 is no DICOM UID");
            assertThat(DimsePeer.find(tmp, "STEADFAST", node.dicomPort(), "-W", List.of("PatientID=P18-LEN", "AccessionNumber")))
                    .isEmpty();
            // At the limit: accepted.
            assertThat(hl7.send(msh("ORM^O01^ORM_O01"), seg("PID", 1, "1", 3, "P18-LEN^^^HOSP", 5, "LEN^PAT"),
                    seg("ORC", 1, "NW", 2, "ORD-18-LEN"), seg("OBR", 1, "1", 2, "ORD-18-LEN", 18, "ACC-18-16-CHARSX", 24, "CT"))
                    .code()).isEqualTo("AA");
            assertThat(DimsePeer.find(tmp, "STEADFAST", node.dicomPort(), "-W", List.of("PatientID=P18-LEN", "AccessionNumber")))
                    .hasSize(1);
        }
    }

    private void charsets(ArchiveNode node) throws Exception {
        String a08 = "MSH|^~\\&|RIS|HOSP|STEADFAST|HOSP|20261207090000||ADT^A08^ADT_A01|%s|P|2.5.1||||||%s\r"
                + "EVN|A08\rPID|1||P18-ESC^^^HOSP||%s^J\u00d6RG\r";
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", node.hl7().port())) {
            s.setSoTimeout(30_000);
            byte[] latin1 = String.format(a08, "CS1", "8859/1", "M\u00dcLLER").getBytes(StandardCharsets.ISO_8859_1);
            assertThat(send(s, latin1)).contains("MSA|AA|CS1");
            assertThat(qidoNames(node)).contains("M\u00dcLLER^J\u00d6RG");

            // The same Latin-1 bytes without MSH-18: no UTF-8. Refused, the name kept, the connection still answers.
            byte[] unnamed = String.format(a08, "CS2", "", "SCHR\u00d6DER").getBytes(StandardCharsets.ISO_8859_1);
            assertThat(send(s, unnamed)).contains("MSA|AR|CS2").contains("ERR|||102^").contains("not valid UTF-8");
            byte[] japanese = String.format(a08, "CS3", "ISO IR87", "YAMADA").getBytes(StandardCharsets.ISO_8859_1);
            assertThat(send(s, japanese)).contains("MSA|AR|CS3").contains("'ISO IR87' is not supported");
            assertThat(qidoNames(node)).contains("M\u00dcLLER^J\u00d6RG").doesNotContain("SCHR").doesNotContain("\ufffd");

            byte[] utf8 = String.format(a08, "CS4", "UNICODE UTF-8", "\u0141UKASZ").getBytes(StandardCharsets.UTF_8);
            assertThat(send(s, utf8)).contains("MSA|AA|CS4");
            assertThat(qidoNames(node)).contains("\u0141UKASZ^J\u00d6RG");
        }
    }

    /** One MLLP frame out, the answer's text back (Latin-1: the answers here are ASCII). */
    private static String send(java.net.Socket s, byte[] message) throws java.io.IOException {
        var out = s.getOutputStream();
        out.write(0x0b);
        out.write(message);
        out.write(new byte[] {0x1c, 0x0d});
        out.flush();
        var in = s.getInputStream();
        var answer = new java.io.ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != 0x1c) {
            if (c != 0x0b) {
                answer.write(c);
            }
        }
        in.read(); // the CR after FS
        return answer.toString(StandardCharsets.ISO_8859_1);
    }

    private static String qidoNames(ArchiveNode node) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + node.httpPort() + "/dicom-web/studies?PatientID=P18-ESC")).header("Accept", "application/dicom+json").build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private List<String> names(ArchiveNode node) throws Exception {
        return DimsePeer.find(tmp, "STEADFAST", node.dicomPort(), "-S",
                List.of("QueryRetrieveLevel=STUDY", "PatientID=P18-ESC", "PatientName")).stream()
                .map(d -> strip(d.getString(Tag.PatientName))).toList();
    }
}

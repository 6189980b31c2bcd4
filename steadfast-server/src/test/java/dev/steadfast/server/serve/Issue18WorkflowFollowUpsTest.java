package dev.steadfast.server.serve;

import static dev.steadfast.server.serve.Hl7Client.msh;
import static dev.steadfast.server.serve.Hl7Client.seg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.AssociationListener;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.DimseServer;
import dev.steadfast.net.dimse.NCreateService;
import dev.steadfast.net.dimse.ServiceRegistry;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.Main;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 follow-ups on MPPS and the workflow outbox, through serve's wiring with one node:
 * a relay target that refuses one MPPS no longer holds its queue (dead letter after
 * {@code workflow.max-attempts}, {@code /api/workflow} for the admin role: list, pause, resume,
 * retry); the MPPS follow their patient through HL7 A08 and A40 and a study's Patient ID corrected
 * with PATCH; every MPPS N-CREATE and N-SET is audited as a "Procedure Record" (110111).
 *
 * <p>The modality and the relay target are our own DIMSE N-CREATE/N-SET peers: no Debian package
 * ships an MPPS SCU or SCP (see Issue18MppsTest).
 */
class Issue18WorkflowFollowUpsTest {
    private static final String MPPS = UID.ModalityPerformedProcedureStep;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    /** The relay target: refuses the N-CREATE of {@code poison} while {@code refusing}, takes everything else. */
    private static AssociationListener ris(BlockingQueue<String> into, String poison, AtomicBoolean refusing) throws Exception {
        NCreateService create = (rq, uid, data) -> {
            if (uid.equals(poison) && refusing.get()) {
                throw new DimseException(Status.PROCESSING_FAILURE, "unknown procedure");
            }
            into.add("N-CREATE " + uid);
            return new NCreateService.Created(uid, null);
        };
        ServiceRegistry r = ServiceRegistry.builder().nCreate(MPPS, create).nSet(MPPS, (rq, uid, data) -> {
            into.add("N-SET " + uid + " " + data.getString(Tag.PatientID));
            return null;
        }).build();
        return DimseServer.start(InetAddress.getLoopbackAddress(), 0, AssociationConfig.DEFAULTS,
                DimseServer.policyFor(r, "RIS").build(), r, 4, null);
    }

    @Test
    void deadLettersApiPatientFollowAndProcedureAudit() throws Exception {
        run(TestNodes.Db.SQLITE);
    }

    /** The same on PostgreSQL: the outbox's claims (FOR UPDATE), the dead letter and pause columns, the MPPS rewrites. */
    @Test
    void deadLettersApiPatientFollowAndProcedureAuditOnPostgres() throws Exception {
        run(TestNodes.Db.POSTGRESQL);
    }

    private void run(TestNodes.Db db) throws Exception {
        Path users = tmp.resolve("users");
        String admin = token(users, "admin", "ops");
        String reader = token(users, "read", "monitor");
        String poison = Instances.uid();
        String good = Instances.uid();
        String study = Instances.uid();
        AtomicBoolean refusing = new AtomicBoolean(true);
        BlockingQueue<String> ris = new LinkedBlockingQueue<>();
        Path data = tmp.resolve("data");
        try (AssociationListener risScp = ris(ris, poison, refusing);
             ArchiveNode node = ArchiveNode.start(TestNodes.config(data, TestNodes.indexUrl(db, data),
                     Map.of("hl7.port", "0", "hl7.bind", "127.0.0.1", "workflow.mpps.forward-to", "ris",
                             "workflow.max-attempts", "2", "http.auth.users-file", users.toString()),
                     List.of("ris=RIS@127.0.0.1:" + risScp.port())));
             Hl7Client hl7 = new Hl7Client(node.hl7().port());
             DimseClient modality = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("CT18")
                     .calledAeTitle("STEADFAST").propose(MPPS, ClientOptions.UNCOMPRESSED))) {
            // /api/workflow is for the admin role only.
            assertThat(get(node, "/api/workflow", null).statusCode()).isEqualTo(401);
            assertThat(get(node, "/api/workflow", reader).statusCode()).isEqualTo(403);

            // 1. The RIS refuses the first MPPS every time: after two refusals it is a dead letter, the next one goes.
            assertThat(modality.nCreate(MPPS, poison, Issue18MppsTest.inProgress(Instances.uid(), "ACC-WF2-0", null, null)).status())
                    .isEqualTo(Status.SUCCESS);
            Dataset created = Issue18MppsTest.inProgress(study, "ACC-WF2-1", null, null);
            created.setString(Tag.PatientID, VR.LO, "WF2-A");
            assertThat(modality.nCreate(MPPS, good, created).status()).isEqualTo(Status.SUCCESS);
            node.workflow().deliverNow(); // first refusal; the back-off holds the queue
            node.workflow().retryNow(); // second refusal: dead; then the next entry goes
            assertThat(ris.poll(30, TimeUnit.SECONDS)).isEqualTo("N-CREATE " + good);

            String all = get(node, "/api/workflow", admin).body();
            assertThat(all).contains("\"name\":\"mpps:ris\"", "\"name\":\"events\"");
            String one = ok(get(node, "/api/workflow/mpps:ris", admin));
            assertThat(one).contains("\"deadLetters\":1", "\"depth\":0", "\"paused\":false", "\"sopInstanceUID\":\"" + poison + "\"",
                    "\"kind\":\"n_create\"", "\"attempts\":2", "RIS answered N_CREATE", "unknown procedure");
            assertThat(one).doesNotContain(good).as("no patient data").doesNotContain("DOE^JANE", "WF2-A");
            String metrics = ok(get(node, "/metrics", admin));
            assertThat(metrics).contains("steadfast_workflow_outbox_dead_letters{destination=\"mpps:ris\"} 1");

            // Paused: nothing goes to the RIS, the entry waits and is listed; resumed: it goes.
            assertThat(ok(post(node, "/api/workflow/mpps:ris/pause", admin))).contains("\"paused\":true");
            assertThat(post(node, "/api/workflow/mpps:ris/pause", reader).statusCode()).isEqualTo(403);
            assertThat(post(node, "/api/workflow/mpps:nobody/pause", admin).statusCode()).isEqualTo(404);
            assertThat(post(node, "/api/workflow/mpps:ris/retry?id=abc", admin).statusCode()).isEqualTo(400);
            assertThat(post(node, "/api/workflow/mpps:ris/retry?id=999999", admin).statusCode()).isEqualTo(404);
            Dataset comment = new Dataset().setString(Tag.CommentsOnThePerformedProcedureStep, VR.ST, "contrast given");
            assertThat(modality.nSet(MPPS, good, comment).status()).isEqualTo(Status.SUCCESS);
            node.workflow().retryNow();
            assertThat(ris).as("paused").isEmpty();
            assertThat(ok(get(node, "/api/workflow/mpps:ris", admin))).contains("\"depth\":1", "\"kind\":\"n_set\"")
                    .containsPattern("\"oldestAgeSeconds\":\\d+");
            assertThat(ok(post(node, "/api/workflow/mpps:ris/resume", admin))).contains("\"paused\":false");
            node.workflow().deliverNow();
            assertThat(ris.poll(30, TimeUnit.SECONDS)).isEqualTo("N-SET " + good + " null");

            // The RIS learned the procedure: the dead letter is queued again and delivered.
            refusing.set(false);
            assertThat(ok(post(node, "/api/workflow/mpps:ris/retry", admin))).contains("\"requeued\":1");
            node.workflow().deliverNow();
            assertThat(ris.poll(30, TimeUnit.SECONDS)).isEqualTo("N-CREATE " + poison);
            assertThat(ok(get(node, "/api/workflow/mpps:ris", admin))).contains("\"deadLetters\":0", "\"depth\":0");

            // 2. The MPPS follows its patient: A08 (demographics), A40 (merge), PATCH of the study's Patient ID.
            Dataset image = Instances.image(study, Instances.uid(), Instances.uid(), 64);
            image.setString(Tag.PatientID, VR.LO, "WF2-A");
            DimsePeer.store(tmp, node.dicomPort(), image);
            assertThat(hl7.send(msh("ADT^A08^ADT_A01"), seg("EVN", 1, "A08"),
                    seg("PID", 1, "1", 3, "WF2-A^^^HOSP", 5, "UPDATED^ANNA", 7, "19700102", 8, "F")).code()).isEqualTo("AA");
            Dataset stored = node.workflow().mpps().find(good).attributes();
            assertThat(stored.getString(Tag.PatientName)).isEqualTo("UPDATED^ANNA");
            assertThat(stored.getString(Tag.PatientBirthDate)).isEqualTo("19700102");
            assertThat(stored.getString(Tag.PatientID)).isEqualTo("WF2-A");
            assertThat(node.workflow().mpps().find(poison).attributes().getString(Tag.PatientName))
                    .as("another patient's MPPS is untouched").isEqualTo("DOE^JANE");

            assertThat(hl7.send(msh("ADT^A40^ADT_A39"), seg("EVN", 1, "A40"),
                    seg("PID", 1, "1", 3, "WF2-B^^^HOSP", 5, "KEPT^ANNA"), seg("MRG", 1, "WF2-A^^^HOSP")).code()).isEqualTo("AA");
            stored = node.workflow().mpps().find(good).attributes();
            assertThat(stored.getString(Tag.PatientID)).isEqualTo("WF2-B");
            assertThat(stored.getString(Tag.IssuerOfPatientID)).isEqualTo("HOSP");
            assertThat(stored.getString(Tag.PatientName)).isEqualTo("KEPT^ANNA");
            // The modality still knows the old patient and repeats it: not a change it made, so not refused.
            Dataset stillOld = new Dataset().setString(Tag.PatientID, VR.LO, "WF2-A")
                    .setString(Tag.CommentsOnThePerformedProcedureStep, VR.ST, "second comment");
            assertThat(modality.nSet(MPPS, good, stillOld).status()).isEqualTo(Status.SUCCESS);
            assertThat(node.workflow().mpps().find(good).attributes().getString(Tag.PatientID)).isEqualTo("WF2-B");

            HttpResponse<String> patched = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort()
                    + "/api/studies/" + study)).header("Content-Type", "application/json").header("Authorization", "Bearer " + admin)
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"PatientID\": \"WF2-C\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            assertThat(node.workflow().mpps().find(good).attributes().getString(Tag.PatientID)).isEqualTo("WF2-C");
            assertThat(node.workflow().mpps().find(poison).attributes().getString(Tag.PatientID)).isEqualTo("P18-MPPS");
        }

        // 3. Procedure Record audits: who (the modality), which step, C or U; the patient by ID only.
        List<String> audit = Files.readAllLines(data.resolve("audit/access.log"), StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("csd-code=\"110111\"")).toList();
        assertThat(audit).filteredOn(l -> l.contains("EventActionCode=\"C\"") && l.contains("<MPPS UID=\"" + good + "\"/>"))
                .singleElement().satisfies(l -> assertThat(l).contains("UserID=\"CT18\"", "ParticipantObjectID=\"" + study + "\"",
                        "Accession Number=\"ACC-WF2-1\"", "ParticipantObjectID=\"WF2-A\"", "MPPS N-CREATE IN PROGRESS"));
        assertThat(audit).filteredOn(l -> l.contains("EventActionCode=\"U\"") && l.contains("<MPPS UID=\"" + good + "\"/>"))
                .hasSize(2).allSatisfy(l -> assertThat(l).contains("UserID=\"CT18\"", "EventOutcomeIndicator=\"0\""));
        assertThat(audit).filteredOn(l -> l.contains("<MPPS UID=\"" + poison + "\"/>")).hasSize(1);
        assertThat(audit).noneMatch(l -> l.contains("DOE^JANE") || l.contains("UPDATED^ANNA"));
    }

    /** A user with an API token, made with the CLI ({@code steadfast user token}); the token. */
    private static String token(Path users, String role, String name) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err, true), "user", "token", "--users-file", users.toString(),
                "--roles", role, name);
        assertThat(code).as(out + " " + err).isZero();
        return out.toString().lines().filter(l -> l.startsWith("sf_")).findFirst().orElseThrow();
    }

    private static HttpResponse<String> get(ArchiveNode node, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(ArchiveNode node, String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }
}

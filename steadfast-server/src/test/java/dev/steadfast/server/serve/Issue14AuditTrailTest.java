package dev.steadfast.server.serve;

import dev.steadfast.archive.audit.ChainedAuditLog;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.AuditSchema;
import dev.steadfast.testing.Rsyslog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * serve records who stored, read, deleted and was refused what (issue 14): PS3.15 A.5 messages in the local
 * hash-chained log and at a real syslog collector (rsyslogd over UDP), each valid against the standard's
 * schema; the stores of one study from one sender are one message with the count per SOP Class; the patient
 * is named in the audit trail and nowhere in the server's own log.
 */
class Issue14AuditTrailTest {
    @TempDir
    Path tmp;

    @Test
    void storesDeletionsAndRefusalsAreAudited() throws Exception {
        Rsyslog.assumeAvailable();
        Path data = Files.createDirectories(tmp.resolve("data"));
        try (Rsyslog collector = Rsyslog.start(tmp.resolve("syslog"), "127.0.0.1")) {
            String study = Instances.uid();
            String sop1 = Instances.uid();
            Map<String, String> options = Map.of("audit.syslog", "udp://127.0.0.1:" + collector.udpPort,
                    "audit.site-id", "TEST-HOSPITAL", "api.delete-enabled", "true", "access.find", "WORKSTATION");
            try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), options, List.of())) {
                try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("CT_ROOM_7")
                        .calledAeTitle("STEADFAST").propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian))) {
                    Dataset a = patient(Instances.image(study, Instances.uid(), sop1, 64));
                    Dataset b = patient(Instances.image(study, Instances.uid(), Instances.uid(), 64));
                    assertThat(c.store(Instances.source(a), null, -1).status()).isEqualTo(Status.SUCCESS);
                    assertThat(c.store(Instances.source(b), null, -1).status()).isEqualTo(Status.SUCCESS);
                    // The same SOP Instance UID with other content: refused (the default) and a security alert.
                    Dataset changed = patient(Instances.image(study, Instances.uid(), sop1, 64));
                    changed.setString(Tag.SeriesDescription, VR.LO, "changed");
                    assertThat(c.store(Instances.source(changed), null, -1).status().isFailure()).isTrue();
                }
                Thread.sleep(2500); // the stores of one study are written together once the sender has gone quiet
                HttpResponse<byte[]> wado = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + node.httpPort() + "/dicom-web/studies/" + study))
                        .header("Accept", "multipart/related; type=\"application/dicom\"").build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(wado.statusCode()).isEqualTo(200);
                for (String read : List.of("/metadata", "/metadata")) { // a viewer's many small reads: one record
                    assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + node.httpPort() + "/dicom-web/studies/" + study + read)).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                }
                HttpResponse<String> qido = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + node.httpPort() + "/dicom-web/studies?PatientID=PID-AUDIT-1")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(qido.statusCode()).isEqualTo(200);
                dev.steadfast.testing.Peers.Result find = dev.steadfast.testing.Peers.run(List.of(
                        dev.steadfast.testing.Peers.tool("findscu"), "-S", "-aet", "WORKSTATION", "-aec", "STEADFAST",
                        "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=PID-AUDIT-1", "-k", "StudyInstanceUID",
                        "127.0.0.1", String.valueOf(node.dicomPort())), 60);
                assertThat(find.exitCode()).as(find.output()).isZero();
                Path got = Files.createDirectories(tmp.resolve("got"));
                dev.steadfast.testing.Peers.Result get = dev.steadfast.testing.Peers.run(List.of(
                        dev.steadfast.testing.Peers.tool("getscu"), "-S", "-aet", "WORKSTATION", "-aec", "STEADFAST",
                        "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study, "-od", got.toString(),
                        "127.0.0.1", String.valueOf(node.dicomPort())), 60);
                assertThat(get.exitCode()).as(get.output()).isZero();
                // An AE the configuration does not let query: refused (0124) and a security alert.
                dev.steadfast.testing.Peers.Result intruder = dev.steadfast.testing.Peers.run(List.of(
                        dev.steadfast.testing.Peers.tool("findscu"), "-S", "-aet", "INTRUDER", "-aec", "STEADFAST",
                        "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=PID-AUDIT-1",
                        "127.0.0.1", String.valueOf(node.dicomPort())), 60);
                HttpResponse<String> deleted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + node.httpPort() + "/api/studies/" + study + "?reason=wrong+patient"))
                        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
            }
            Path log = data.resolve("audit/access.log");
            ChainedAuditLog.Verification v = ChainedAuditLog.verify(log);
            assertThat(v.intact()).isTrue();
            List<String> records = new ArrayList<>();
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                records.add(line.split(" ", 3)[2]);
            }
            for (String xml : records) {
                assertThat(AuditSchema.problems(xml)).as(xml).isEmpty();
            }
            assertThat(records).hasSize(11);
            assertThat(records.get(0)).contains("csd-code=\"110120\""); // application start
            assertThat(records).anySatisfy(x -> assertThat(x).contains("csd-code=\"110104\"", "EventActionCode=\"C\"",
                    "UserID=\"CT_ROOM_7\"", "NetworkAccessPointID=\"127.0.0.1\"", "ParticipantObjectID=\"" + study + "\"",
                    "ParticipantObjectID=\"PID-AUDIT-1\"", "NumberOfInstances=\"2\"", "AuditEnterpriseSiteID=\"TEST-HOSPITAL\""));
            assertThat(records).anySatisfy(x -> assertThat(x).contains("csd-code=\"110113\"", "UserID=\"CT_ROOM_7\"",
                    sop1));
            assertThat(records).anySatisfy(x -> assertThat(x).contains("csd-code=\"110104\"", "EventActionCode=\"R\"",
                    "ParticipantObjectID=\"" + study + "\"", "NumberOfInstances=\"2\"", "Destination Role ID"));
            assertThat(records).anySatisfy(x -> assertThat(x).contains("csd-code=\"110112\"", "QIDO-RS STUDY",
                    "<ParticipantObjectQuery>"));
            assertThat(records).anySatisfy(x -> assertThat(x).contains("csd-code=\"110112\"", "UserID=\"WORKSTATION\"",
                    "ParticipantObjectID=\"" + UID.StudyRootQueryRetrieveInformationModelFind + "\""));
            assertThat(records).anySatisfy(x -> assertThat(x).contains("csd-code=\"110104\"", "EventActionCode=\"R\"",
                    "UserID=\"WORKSTATION\"", "ParticipantObjectID=\"" + study + "\"", "NumberOfInstances=\"2\""));
            assertThat(records).anySatisfy(x -> assertThat(x).contains("csd-code=\"110113\"", "UserID=\"INTRUDER\"",
                    "C-FIND refused"));
            assertThat(records).anySatisfy(x -> assertThat(x).contains("csd-code=\"110104\"", "EventActionCode=\"R\"",
                    "viewed: metadata x2", "ParticipantObjectID=\"" + study + "\""));
            assertThat(records).anySatisfy(x -> assertThat(x).contains("csd-code=\"110105\"", "EventActionCode=\"D\"",
                    "ParticipantObjectID=\"" + study + "\"", "wrong patient"));
            assertThat(records.get(records.size() - 1)).contains("csd-code=\"110121\""); // application stop

            List<String> received = Rsyslog.bodies(collector.awaitLines(records.size(), Duration.ofSeconds(30)));
            assertThat(received).containsExactlyInAnyOrderElementsOf(records);
        }
    }

    private static Dataset patient(Dataset ds) {
        ds.setString(Tag.PatientID, VR.LO, "PID-AUDIT-1");
        ds.setString(Tag.PatientName, VR.PN, "Audit^Patient");
        return ds;
    }
}

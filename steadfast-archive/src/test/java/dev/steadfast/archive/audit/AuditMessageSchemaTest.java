package dev.steadfast.archive.audit;

import dev.steadfast.testing.AuditSchema;
import dev.steadfast.testing.Rsyslog;

import dev.steadfast.archive.audit.AuditEvents.Actor;
import dev.steadfast.archive.audit.AuditEvents.StudyRef;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of audit message the archive writes is valid against the standard's schema (issue 14). */
class AuditMessageSchemaTest {
    private static final Actor MODALITY = new Actor("CT_ROOM_1", "10.1.2.3");
    private static final Actor USER = new Actor("dr.house", "192.168.7.9");
    private static final StudyRef STUDY = new StudyRef("1.2.826.0.1.3680043.2.1125.1", "PAT-7",
            "Doe^Jane", sopClasses());

    private static Map<String, Integer> sopClasses() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("1.2.840.10008.5.1.4.1.1.2", 120);
        m.put("1.2.840.10008.5.1.4.1.1.104.1", 1);
        return m;
    }

    @Test
    void everyMessageKindIsValidAgainstTheDicomAuditSchema() throws Exception {
        List<AuditEvent> events = List.of(
                AuditEvents.applicationStarted("STEADFAST", "4711"),
                AuditEvents.applicationStopped("STEADFAST", "4711"),
                AuditEvents.instancesStored(MODALITY, "STEADFAST", STUDY, false, null),
                AuditEvents.instancesStored(MODALITY, "STEADFAST", STUDY, true, "2 of 122 refused: A700"),
                AuditEvents.instancesRetrieved(new Actor("WS1", "10.9.9.9"), "STEADFAST", new Actor("WS1", "10.9.9.9"),
                        STUDY, false, null),
                AuditEvents.query(MODALITY, "STEADFAST", "1.2.840.10008.5.1.4.1.2.2.1",
                        "PatientID=PAT-7&StudyDate=20240101-".getBytes(StandardCharsets.UTF_8), false, null),
                AuditEvents.studyDeleted(USER, "STEADFAST", STUDY, "wrong patient"),
                AuditEvents.authentication(USER, "STEADFAST", true, null),
                AuditEvents.authentication(new Actor("unknown", "203.0.113.5"), "STEADFAST", false, "invalid token: expired"),
                AuditEvents.securityAlert(MODALITY, "STEADFAST", false, "C-GET refused: AE may not retrieve", Map.of()),
                AuditEvents.securityAlert(MODALITY, "STEADFAST", false, "different content under a stored SOP Instance UID",
                        Map.of("StoredSHA256", "ab12", "ReceivedSHA256", "cd34")),
                AuditEvents.securityAlert(new Actor("PACS2", "10.0.0.2"), "STEADFAST", true,
                        "certificate does not name the host\nsecond line", Map.of()),
                // Issue 18: MPPS N-CREATE and N-SET as "Procedure Record", accepted and refused, with and without accession.
                AuditEvents.procedureRecord(MODALITY, "STEADFAST", 'C', "1.2.3.4.5", STUDY.studyUid(), "ACC-1", "PAT-7",
                        "IN PROGRESS", false, null),
                AuditEvents.procedureRecord(MODALITY, "STEADFAST", 'U', "1.2.3.4.5", STUDY.studyUid(), null, null, null, true,
                        "(0010,0020) may not be changed by N-SET"));
        for (AuditEvent e : events) {
            String xml = AuditXml.write(e, "steadfast@node1", "HOSPITAL");
            assertThat(AuditSchema.problems(xml)).as(xml).isEmpty();
            assertThat(xml).doesNotContain("\n").startsWith("<AuditMessage>");
        }
    }

    @Test
    void theValidatorRefusesAMessageTheSchemaForbids() throws Exception {
        String xml = AuditXml.write(AuditEvents.applicationStarted("STEADFAST", "1"), "node1", null);
        String withoutSource = xml.replaceAll("<AuditSourceIdentification.*?</AuditSourceIdentification>", "");
        assertThat(withoutSource).isNotEqualTo(xml);
        assertThat(AuditSchema.problems(withoutSource)).isNotEmpty();
        assertThat(AuditSchema.problems(xml.replace("EventOutcomeIndicator=\"0\"", "EventOutcomeIndicator=\"1\"")))
                .isNotEmpty();
    }

    @Test
    void aStoreNamesTheStudyThePatientAndTheCountsPerSopClass() {
        String xml = AuditXml.write(AuditEvents.instancesStored(MODALITY, "STEADFAST", STUDY, false, null), "n", null);
        assertThat(xml)
                .contains("csd-code=\"110104\"", "EventActionCode=\"C\"", "UserID=\"CT_ROOM_1\"",
                        "NetworkAccessPointID=\"10.1.2.3\"", "ParticipantObjectID=\"1.2.826.0.1.3680043.2.1125.1\"",
                        "ParticipantObjectID=\"PAT-7\"", "<ParticipantObjectName>Doe^Jane</ParticipantObjectName>",
                        "UID=\"1.2.840.10008.5.1.4.1.1.2\" NumberOfInstances=\"120\"");
    }
}

package dev.steadfast.web;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.testing.Corpus;
import dev.steadfast.web.testing.Orthanc;
import dev.steadfast.web.testing.TestArchive;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orthanc's DICOMweb plugin as the client (written by others): it pushes instances to us with
 * STOW-RS, queries us with QIDO-RS and pulls the study back with WADO-RS into an emptied
 * Orthanc; what it gets is byte for byte what we stored.
 */
class OrthancClientTest {
    private static final List<String> FILES = List.of(
            "ct/dicomParser__CT1_UNC.explicit_little_endian.dcm",
            "mr/pydicom-data__emri_small_jpeg_2k_lossless.dcm",
            "us/dicomParser__IM00001.fragmented_no_bot_jpeg_baseline.50.dcm",
            "xray/fo-dicom__HasFragmentSequence.dcm");

    @Test
    void orthancStowsQueriesAndRetrievesThroughUs() throws Exception {
        Path root = Corpus.root();
        try (TestArchive archive = new TestArchive(); Orthanc orthanc = new Orthanc(archive.base())) {
            List<String> ids = new ArrayList<>();
            for (String f : FILES) {
                HttpResponse<String> r = orthanc.post("/instances", "application/dicom",
                        Files.readAllBytes(root.resolve(f)));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                ids.add(field(r.body(), "ID"));
            }
            // STOW-RS from Orthanc to us
            String resources = "[\"" + String.join("\",\"", ids) + "\"]";
            HttpResponse<String> stow = orthanc.postJson("/dicom-web/servers/steadfast/stow",
                    "{\"Resources\": " + resources + "}");
            assertThat(stow.statusCode()).as(stow.body() + orthanc.log()).isEqualTo(200);
            assertThat(archive.instanceCount()).isEqualTo(FILES.size());

            // QIDO-RS from Orthanc: every study we hold, with its UID
            List<String> studies = new ArrayList<>();
            for (String id : ids) {
                String tags = new String(orthanc.get("/instances/" + id + "/simplified-tags").body());
                studies.add(field(tags, "StudyInstanceUID"));
            }
            HttpResponse<String> qido = orthanc.postJson("/dicom-web/servers/steadfast/qido",
                    "{\"Uri\": \"/studies\", \"Arguments\": {\"StudyInstanceUID\": \"" + studies.getFirst() + "\"}}");
            assertThat(qido.statusCode()).as(qido.body()).isEqualTo(200);
            assertThat(qido.body()).contains(studies.getFirst()).contains("0020000D");

            // Empty Orthanc, then WADO-RS retrieve of each study from us
            for (String id : ids) {
                assertThat(orthanc.delete("/instances/" + id)).isEqualTo(200);
            }
            for (String study : studies.stream().distinct().toList()) {
                HttpResponse<String> r = orthanc.postJson("/dicom-web/servers/steadfast/retrieve",
                        "{\"Resources\": [{\"Study\": \"" + study + "\"}]}");
                assertThat(r.statusCode()).as(r.body() + orthanc.log()).isEqualTo(200);
            }
            for (String id : ids) {
                HttpResponse<byte[]> file = orthanc.get("/instances/" + id + "/file");
                assertThat(file.statusCode()).isEqualTo(200);
                String sop = field(new String(orthanc.get("/instances/" + id + "/simplified-tags").body()),
                        "SOPInstanceUID");
                Optional<StoredInstance> ours = archive.index.read(tx -> tx.instances().find(sop));
                byte[] stored = Files.readAllBytes(archive.storage.pathOf(new dev.steadfast.archive.storage.StorageKey(ours.orElseThrow().record().storageKey())));
                assertThat(file.body()).as("instance %s as Orthanc received it", sop).isEqualTo(stored);
            }
        }
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return m.group(1);
    }
}

package dev.steadfast.web.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.archive.workflow.Correction;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 18: what {@code PATCH /api/studies/{uid}} accepts as its body, and what it refuses by name. */
class Issue18CorrectionBodyTest {
    @Test
    void aFlatObjectOfStringsByKeywordOrTag() {
        Map<String, String> body = FlatJsonObject.parse(" {\"PatientName\": \"M\\u00fcller^Anna\", \"00080050\": \"A-1\","
                + " \"StudyDescription\": \"\", \"PatientSex\": null} ");
        Correction c = Correction.of(body);
        assertThat(c.get(Correction.Attribute.PATIENT_NAME)).isEqualTo("Müller^Anna");
        assertThat(c.get(Correction.Attribute.ACCESSION_NUMBER)).isEqualTo("A-1");
        assertThat(c.get(Correction.Attribute.STUDY_DESCRIPTION)).isEmpty(); // clears it
        assertThat(c.get(Correction.Attribute.PATIENT_SEX)).isEmpty();
    }

    @Test
    void anythingElseIsRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> FlatJsonObject.parse("{\"PatientName\": {\"Alphabetic\": \"X\"}}"))
                .hasMessageContaining("PatientName").hasMessageContaining("string");
        assertThatThrownBy(() -> FlatJsonObject.parse("{\"A\": \"1\", \"A\": \"2\"}")).hasMessageContaining("twice");
        assertThatThrownBy(() -> FlatJsonObject.parse("{\"A\": \"1\"} x")).hasMessageContaining("after");
        assertThatThrownBy(() -> FlatJsonObject.parse("[\"A\"]")).hasMessageContaining("'{'");
        assertThatThrownBy(() -> Correction.of(Map.of("SOPInstanceUID", "1.2"))).hasMessageContaining("'SOPInstanceUID' cannot be corrected");
        assertThatThrownBy(() -> Correction.of(Map.of("PatientID", ""))).hasMessageContaining("PatientID cannot be empty");
        assertThatThrownBy(() -> Correction.of(Map.of("PatientBirthDate", "19700231"))).hasMessageContaining("YYYYMMDD");
        assertThatThrownBy(() -> Correction.of(Map.of("PatientSex", "X"))).hasMessageContaining("M, F, O");
        assertThatThrownBy(() -> Correction.of(Map.of("AccessionNumber", "A\\B"))).hasMessageContaining("backslash");
        assertThatThrownBy(() -> Correction.of(Map.of("AccessionNumber", "12345678901234567"))).hasMessageContaining("16");
        assertThatThrownBy(() -> Correction.of(Map.of())).hasMessageContaining("nothing to correct");
    }
}

package dev.steadfast.dicom.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.steadfast.dicom.json.DicomJsonException;
import dev.steadfast.dicom.json.DicomJsonReader;

import java.io.IOException;
import java.io.StringReader;

/**
 * Coverage-guided fuzzing of the DICOM JSON reader (PS3.18 F), which STOW-RS metadata requests feed
 * with text from the network (issue 14). Any outcome but a data set or {@link DicomJsonException} is a
 * finding; committed inputs replay in every test run.
 */
class DicomJsonReaderFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void jsonArrayOfDataSets(FuzzedDataProvider data) throws IOException {
        try {
            DicomJsonReader.readArray(new StringReader(data.consumeRemainingAsString()));
        } catch (DicomJsonException expected) {
            // the documented outcome for text that is not DICOM JSON
        }
    }
}

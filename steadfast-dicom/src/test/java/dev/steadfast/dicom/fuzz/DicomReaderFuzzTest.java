package dev.steadfast.dicom.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.steadfast.dicom.DicomParseException;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.ReadOptions;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of the DICOM parser (issue 14). A normal test run replays the committed
 * inputs under {@code src/test/resources/.../DicomReaderFuzzTestInputs/}; {@code bench/fuzz.sh} fuzzes.
 * The contract: whatever the bytes, the parse ends normally or in {@link DicomParseException}; any other
 * exception, an Error (OutOfMemoryError from a trusted length included) or a hang is a finding.
 */
class DicomReaderFuzzTest {
    private static final String[] SYNTAXES = {
        UID.ImplicitVRLittleEndian, UID.ExplicitVRLittleEndian, UID.ExplicitVRBigEndian,
        UID.DeflatedExplicitVRLittleEndian, UID.JPEGBaseline8Bit,
    };

    /** A Part 10 file (preamble, meta, data set), as a sender or a file on media gives it. */
    @FuzzTest(maxDuration = "5m")
    void part10File(byte[] bytes) throws IOException {
        try {
            DicomReader.read(new ByteArrayInputStream(bytes), ReadOptions.DEFAULT);
        } catch (DicomParseException expected) {
            // the documented outcome for bytes that are not DICOM
        }
    }

    /** A bare data set in a negotiated transfer syntax, as C-STORE delivers it. */
    @FuzzTest(maxDuration = "5m")
    void dataSetInTransferSyntax(FuzzedDataProvider data) throws IOException {
        String ts = data.pickValue(SYNTAXES);
        byte[] bytes = data.consumeRemainingAsBytes();
        try {
            DicomReader.readDataset(new ByteArrayInputStream(bytes), ts);
        } catch (DicomParseException expected) {
            // the documented outcome for bytes that are not a data set
        }
    }
}

package dev.steadfast.net.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.steadfast.net.pdu.PduFormatException;
import dev.steadfast.net.pdu.PduReader;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of the upper-layer PDU reader (PS3.8 9.3), the first code that touches
 * bytes from any peer on the network (issue 14). Every PDU in the stream is read; the outcome must be
 * PDUs, a clean end, {@link PduFormatException} (the SCP answers it with an A-ABORT) or
 * {@link EOFException}. Anything else, an Error or a hang is a finding.
 */
class PduReaderFuzzTest {
    /** The limits the SCP uses by default: 16 KiB announced for P-DATA, 64 KiB for an A-ASSOCIATE. */
    private static final int MAX_PDATA = 16384 + 6;
    private static final int MAX_ASSOCIATE = 65536;

    @FuzzTest(maxDuration = "5m")
    void pduStream(byte[] bytes) throws IOException {
        PduReader reader = new PduReader(new ByteArrayInputStream(bytes), MAX_PDATA, MAX_ASSOCIATE);
        try {
            while (reader.read() != null) {
                // each PDU is decoded in full by read()
            }
        } catch (PduFormatException | EOFException expected) {
            // a malformed or cut-off PDU: the association is aborted
        }
    }
}

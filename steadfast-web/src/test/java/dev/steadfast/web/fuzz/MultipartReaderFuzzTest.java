package dev.steadfast.web.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.steadfast.web.multipart.MalformedMultipartException;
import dev.steadfast.web.multipart.MultipartReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Coverage-guided fuzzing of the multipart/related reader behind STOW-RS (issue 14): any body with any
 * boundary ends in parts or {@link MalformedMultipartException} (answered 400); any other exception,
 * an Error or a hang is a finding. Committed inputs replay in every test run.
 */
class MultipartReaderFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void stowBody(FuzzedDataProvider data) throws IOException {
        String boundary = data.consumeString(MultipartReader.MAX_BOUNDARY + 10);
        byte[] body = data.consumeRemainingAsBytes();
        MultipartReader reader;
        try {
            reader = new MultipartReader(new ByteArrayInputStream(body), boundary);
        } catch (IllegalArgumentException refusedBoundary) {
            return; // the service answers 400 for a boundary it cannot use
        }
        try {
            for (MultipartReader.Part part; (part = reader.next()) != null; ) {
                part.header("content-type");
                try (InputStream in = part.body()) {
                    in.transferTo(OutputStreamDiscard.INSTANCE);
                }
            }
        } catch (MalformedMultipartException expected) {
            // the documented outcome for a body that is not multipart
        }
    }

    /** Drops what it is given; a named class so findings' stacks read well. */
    private static final class OutputStreamDiscard extends java.io.OutputStream {
        static final OutputStreamDiscard INSTANCE = new OutputStreamDiscard();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }
}

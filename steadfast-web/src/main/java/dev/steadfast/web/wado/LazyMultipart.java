package dev.steadfast.web.wado;

import dev.steadfast.web.http.Exchange;
import dev.steadfast.web.multipart.MultipartWriter;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A multipart/related response that commits its 200 only when the first part is ready, and writes
 * the closing delimiter only from {@link #finish()}: a failure before the first part keeps its own
 * status, one after it leaves the body unterminated (the connection is aborted), never a complete
 * body missing what was asked for.
 */
final class LazyMultipart {
    private final Exchange x;
    private final String contentType;
    private final String boundary = MultipartWriter.newBoundary();
    private MultipartWriter writer;

    /** @param type the parts' media type, the {@code type} parameter of multipart/related */
    LazyMultipart(Exchange x, String type) {
        this.x = x;
        this.contentType = "multipart/related; type=\"" + type + "\"; boundary=" + boundary;
    }

    OutputStream part(String partType, String location) throws IOException {
        if (writer == null) {
            writer = new MultipartWriter(x.open(contentType, false), boundary);
        }
        return writer.part(partType, location);
    }

    /** Ends the body; call only once every part is written. */
    void finish() throws IOException {
        if (writer == null) {
            writer = new MultipartWriter(x.open(contentType, false), boundary);
        }
        writer.close();
    }
}

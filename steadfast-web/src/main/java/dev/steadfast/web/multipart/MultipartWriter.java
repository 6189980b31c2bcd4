package dev.steadfast.web.multipart;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Writes a multipart/related body part by part to a stream; nothing is held back. */
public final class MultipartWriter implements AutoCloseable {
    private final OutputStream out;
    private final String boundary;
    private boolean first = true;
    private boolean closed;

    public MultipartWriter(OutputStream out, String boundary) {
        this.out = out;
        this.boundary = boundary;
    }

    public static String newBoundary() {
        return "steadfast-" + UUID.randomUUID();
    }

    public String boundary() { return boundary; }

    /** Starts a part; write its body to the returned stream (closing it does not close the body). */
    public OutputStream part(String contentType, String contentLocation) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(first ? "--" : "\r\n--").append(boundary).append("\r\n");
        sb.append("Content-Type: ").append(contentType).append("\r\n");
        if (contentLocation != null) {
            sb.append("Content-Location: ").append(contentLocation).append("\r\n");
        }
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        first = false;
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() {
                // the body goes on
            }
        };
    }

    /** Writes the closing delimiter (an empty multipart body gets just that). */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            out.write(((first ? "--" : "\r\n--") + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }
}

package dev.steadfast.web.multipart;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a multipart body (RFC 2046) part by part from a stream, holding at most one buffer
 * (64 KiB) of it: each part's body is an input stream that ends at the next delimiter. Moving
 * to the next part skips whatever of the previous one was not read. A body cut short fails
 * with {@link MalformedMultipartException} in the part stream, so a consumer never takes a
 * truncated part for a complete one.
 */
public final class MultipartReader {
    private static final int BUFFER = 64 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    /** RFC 2046 allows 70; Orthanc's DICOMweb plugin 1.7 sends 73, so be lenient. */
    public static final int MAX_BOUNDARY = 200;

    private final InputStream in;
    private final byte[] delimiter;
    private final String boundary;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int lim;
    /** Positions before this hold no delimiter start. */
    private int clean;
    private boolean eof;
    private boolean finished;
    private int partsSeen;
    private PartStream current;

    /** One part: its headers (names in lower case) and its body. */
    public record Part(Map<String, String> headers, InputStream body) {
        public String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }
    }

    public MultipartReader(InputStream in, String boundary) {
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
            throw new IllegalArgumentException("a boundary is 1 to " + MAX_BOUNDARY + " characters");
        }
        this.in = in;
        this.boundary = boundary;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // The first delimiter may open the body without a preceding CRLF: supply one.
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
    }

    /** The next part, or null after the closing delimiter. */
    public Part next() throws IOException {
        if (finished) {
            return null;
        }
        if (current == null) {
            drain(new PartStream(), true); // the preamble
        } else {
            drain(current, false);
        }
        current = null;
        if (!ensure(2)) {
            throw new MalformedMultipartException("body ends right after a boundary");
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            return null;
        }
        while (ensure(1) && (buf[pos] == ' ' || buf[pos] == '\t')) {
            pos++;
        }
        expectCrlf();
        Map<String, String> headers = readHeaders();
        partsSeen++;
        current = new PartStream();
        return new Part(headers, current);
    }

    private void drain(PartStream s, boolean preamble) throws IOException {
        byte[] sink = new byte[8192];
        try {
            while (s.read(sink, 0, sink.length) >= 0) {
                // discard
            }
        } catch (MalformedMultipartException e) {
            if (preamble) {
                throw new MalformedMultipartException("no part delimited by boundary '" + boundary + "' in the body");
            }
            throw e;
        }
    }

    private void expectCrlf() throws IOException {
        if (!ensure(2) || buf[pos] != '\r' || buf[pos + 1] != '\n') {
            throw new MalformedMultipartException("boundary line of part " + (partsSeen + 1) + " is not ended by CRLF");
        }
        pos += 2;
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int total = 0;
        while (true) {
            StringBuilder line = new StringBuilder();
            while (true) {
                if (!ensure(2)) {
                    throw new MalformedMultipartException("body ends inside the headers of part " + (partsSeen + 1));
                }
                if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
                    pos += 2;
                    break;
                }
                line.append((char) (buf[pos++] & 0xFF));
                if (++total > MAX_HEADER_BYTES) {
                    throw new MalformedMultipartException("headers of part " + (partsSeen + 1) + " exceed "
                            + MAX_HEADER_BYTES + " bytes");
                }
            }
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(":");
            if (colon <= 0) {
                throw new MalformedMultipartException("malformed header line in part " + (partsSeen + 1));
            }
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
    }

    /** Makes {@code n} bytes available from pos; false when the stream ends first. */
    private boolean ensure(int n) throws IOException {
        if (lim - pos >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            clean = Math.max(0, clean - pos);
            pos = 0;
        }
        while (lim - pos < n && !eof) {
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) {
                eof = true;
            } else {
                lim += r;
            }
        }
        return lim - pos >= n;
    }

    /** Index of the next delimiter in the buffer, or -1; advances {@link #clean} past what cannot start one. */
    private int findDelimiter() {
        int from = Math.max(pos, clean);
        int last = lim - delimiter.length;
        for (int i = from; i <= last; i++) {
            if (buf[i] == '\r' && matches(i)) {
                clean = i;
                return i;
            }
        }
        clean = Math.max(from, last + 1);
        return -1;
    }

    private boolean matches(int at) {
        for (int j = 1; j < delimiter.length; j++) {
            if (buf[at + j] != delimiter[j]) {
                return false;
            }
        }
        return true;
    }

    private final class PartStream extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            while (true) {
                int at = findDelimiter();
                if (at >= 0) {
                    int n = Math.min(len, at - pos);
                    if (n == 0) {
                        pos = at + delimiter.length;
                        clean = pos;
                        done = true;
                        return -1;
                    }
                    System.arraycopy(buf, pos, b, off, n);
                    pos += n;
                    return n;
                }
                int safe = clean - pos;
                if (safe > 0) {
                    int n = Math.min(len, safe);
                    System.arraycopy(buf, pos, b, off, n);
                    pos += n;
                    return n;
                }
                if (eof) {
                    throw new MalformedMultipartException("body ends without the closing boundary (truncated upload?)");
                }
                ensure(lim - pos + 1);
            }
        }

        @Override
        public int available() {
            return done ? 0 : Math.max(0, clean - pos);
        }
    }
}

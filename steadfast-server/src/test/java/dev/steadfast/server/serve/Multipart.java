package dev.steadfast.server.serve;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The bodies of a multipart/related response (WADO-RS), split at its boundary. */
final class Multipart {
    private Multipart() {
    }

    static List<byte[]> parts(HttpResponse<byte[]> r) {
        String type = r.headers().firstValue("Content-Type").orElse("");
        String boundary = type.replaceAll("(?i).*boundary=\"?([^\";]+)\"?.*", "$1");
        if (boundary.equals(type)) {
            throw new IllegalArgumentException("no boundary in " + type);
        }
        byte[] body = r.body();
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<byte[]> parts = new ArrayList<>();
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int lineEnd = at + delimiter.length;
            if (lineEnd + 1 < body.length && body[lineEnd] == '-' && body[lineEnd + 1] == '-') {
                return parts; // the closing delimiter
            }
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), lineEnd);
            int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), headersEnd);
            if (headersEnd < 0 || next < 0) {
                throw new IllegalArgumentException("truncated multipart body");
            }
            parts.add(java.util.Arrays.copyOfRange(body, headersEnd + 4, next));
            at = next + 2;
        }
        throw new IllegalArgumentException("no closing delimiter");
    }

    private static int indexOf(byte[] a, byte[] b, int from) {
        outer:
        for (int i = Math.max(from, 0); i <= a.length - b.length; i++) {
            for (int j = 0; j < b.length; j++) {
                if (a[i + j] != b[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

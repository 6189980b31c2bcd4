package dev.steadfast.web.testing;

import dev.steadfast.web.multipart.MultipartReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Bodies of the parts of a small multipart body, via the production reader. */
final class MultipartParts {
    private MultipartParts() {}

    static List<byte[]> split(byte[] body, String boundary) {
        try {
            MultipartReader r = new MultipartReader(new ByteArrayInputStream(body), boundary);
            List<byte[]> out = new ArrayList<>();
            MultipartReader.Part p;
            while ((p = r.next()) != null) {
                out.add(p.body().readAllBytes());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

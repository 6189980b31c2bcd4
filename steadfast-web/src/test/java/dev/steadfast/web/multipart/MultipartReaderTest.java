package dev.steadfast.web.multipart;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultipartReaderTest {

    private static List<String> read(String body, String boundary) throws IOException {
        MultipartReader r = new MultipartReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.ISO_8859_1)),
                boundary);
        List<String> out = new ArrayList<>();
        MultipartReader.Part p;
        while ((p = r.next()) != null) {
            out.add(p.header("content-type") + "|" + new String(p.body().readAllBytes(), StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    @Test
    void partsWithPreambleEpilogueAndPaddingAreSplitExactly() throws IOException {
        String body = "preamble\r\n--b1  \r\nContent-Type: a/b\r\n\r\nhello\r\n--b1\r\nContent-Type: c/d\r\n\r\n"
                + "\r\n-+b1 is not a boundary, it is data\r\n--b1--\r\nepilogue";
        assertThat(read(body, "b1")).containsExactly("a/b|hello", "c/d|\r\n-+b1 is not a boundary, it is data");
    }

    @Test
    void bodyStartingWithTheDelimiterAndEmptyPartsWork() throws IOException {
        assertThat(read("--x\r\n\r\n\r\n--x\r\nA: 1\r\n\r\nz\r\n--x--", "x")).containsExactly("null|", "null|z");
    }

    @Test
    void truncatedBodyFailsInThePartStreamAndWrongBoundaryFailsAtOnce() {
        assertThatThrownBy(() -> read("--x\r\n\r\nabc", "x")).isInstanceOf(MalformedMultipartException.class)
                .hasMessageContaining("closing boundary");
        assertThatThrownBy(() -> read("--y\r\n\r\nabc\r\n--y--", "x")).isInstanceOf(MalformedMultipartException.class)
                .hasMessageContaining("no part");
        assertThatThrownBy(() -> read("--x\r\nbroken header\r\n\r\nabc\r\n--x--", "x"))
                .isInstanceOf(MalformedMultipartException.class);
    }

    @Test
    void largeRandomPartsSurviveOneByteReadsAndTinyChunks() throws IOException {
        Random rnd = new Random(42);
        byte[] a = new byte[300_000];
        rnd.nextBytes(a);
        byte[] b = new byte[70_000];
        rnd.nextBytes(b);
        // Plant near-delimiters across buffer edges.
        byte[] near = "\r\n--bound".getBytes(StandardCharsets.ISO_8859_1);
        for (int at : new int[]{65530, 131070, 200000}) {
            System.arraycopy(near, 0, a, at, near.length);
        }
        var body = new java.io.ByteArrayOutputStream();
        body.write("--boundary\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        body.write(a);
        body.write("\r\n--boundary\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        body.write(b);
        body.write("\r\n--boundary--".getBytes(StandardCharsets.ISO_8859_1));
        InputStream trickle = new FilterInputStream(new ByteArrayInputStream(body.toByteArray())) {
            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                return super.read(buf, off, Math.min(len, 7));
            }
        };
        MultipartReader r = new MultipartReader(trickle, "boundary");
        InputStream p1 = r.next().body();
        var got = new java.io.ByteArrayOutputStream();
        int c;
        while ((c = p1.read()) >= 0) {
            got.write(c);
        }
        assertThat(got.toByteArray()).isEqualTo(a);
        assertThat(r.next().body().readAllBytes()).isEqualTo(b);
        assertThat(r.next()).isNull();
    }
}

package dev.steadfast.server.security;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/** HTTP calls as clients make them (java.net.http, or a raw socket where a client lies about Host). */
final class Web {
    private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 1_000_000_000L);
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private Web() {
    }

    static String uid() {
        return "2.25.5" + SEQ.incrementAndGet();
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** GET with header name/value pairs; a null value leaves the header out. */
    static HttpResponse<String> get(String url, String... headers) throws IOException, InterruptedException {
        return HTTP.send(with(HttpRequest.newBuilder(URI.create(url)), headers).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> options(String url, String... headers) throws IOException, InterruptedException {
        return HTTP.send(with(HttpRequest.newBuilder(URI.create(url)), headers).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> delete(String url, String... headers) throws IOException, InterruptedException {
        return HTTP.send(with(HttpRequest.newBuilder(URI.create(url)), headers).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** STOW-RS of one made-up secondary capture instance of {@code study}. */
    static HttpResponse<String> stow(String base, String study, String... headers) throws IOException, InterruptedException {
        byte[] body = multipart(part10(study));
        return HTTP.send(with(HttpRequest.newBuilder(URI.create(base + "/studies")), headers)
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=xyzzy")
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static byte[] stowBody(String study) throws IOException {
        return multipart(part10(study));
    }

    private static HttpRequest.Builder with(HttpRequest.Builder b, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i + 1] != null) {
                b.header(headers[i], headers[i + 1]);
            }
        }
        return b;
    }

    static byte[] part10(String study) throws IOException {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, uid());
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, uid());
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setString(Tag.PatientID, VR.LO, "SEC-14");
        ds.setInt(Tag.Rows, VR.US, 4);
        ds.setInt(Tag.Columns, VR.US, 4);
        ds.setInt(Tag.BitsAllocated, VR.US, 8);
        ds.setBytes(Tag.PixelData, VR.OB, new byte[16]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.writeFile(out, ds, UID.ExplicitVRLittleEndian);
        return out.toByteArray();
    }

    private static byte[] multipart(byte[] part) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write("--xyzzy\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        b.write(part);
        b.write("\r\n--xyzzy--\r\n".getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    /**
     * One HTTP/1.1 request written by hand on 127.0.0.1:{@code port}, so the Host header can say
     * whatever a hostile client wants; returns the whole response (headers and body).
     */
    static String raw(int port, String method, String target, String host, byte[] body, String... headers) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            StringBuilder req = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            if (body != null) {
                req.append("Content-Length: ").append(body.length).append("\r\n");
            }
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}

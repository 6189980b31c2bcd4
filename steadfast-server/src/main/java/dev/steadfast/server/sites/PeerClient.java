package dev.steadfast.server.sites;

import dev.steadfast.archive.sites.Inventory;
import dev.steadfast.server.config.SitesConfig;
import dev.steadfast.web.multipart.MultipartReader;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * HTTP to the peer site, another Steadfast (issue 17): its inventory under {@code /api/inventory},
 * WADO-RS to fetch an instance (verified by the SHA-256 the peer's inventory gave), STOW-RS to send
 * one, and study deletion to carry a tombstone over. Every call is bounded by
 * {@code sites.peer.timeout-seconds}, so a cut link ends in a {@link PeerException} that says what
 * happened, never in a hang.
 */
public final class PeerClient {
    private final URI base;
    private final HttpClient http;
    private final String authorization;
    private final java.time.Duration timeout;

    public PeerClient(SitesConfig config) {
        this.base = config.peerUrl();
        this.timeout = config.timeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.authorization = config.user() == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (config.user() + ":" + (config.password() == null ? "" : config.password())).getBytes(StandardCharsets.UTF_8));
    }

    /** The peer could not be asked, or answered with an error; the message names the peer and the cause. */
    public static final class PeerException extends IOException {
        PeerException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public URI base() {
        return base;
    }

    /** One page of study digests after {@code after} (null: the first) and the cursor of the next, null at the end. */
    public record StudyPage(List<Inventory.StudyDigest> studies, String next) {
    }

    public StudyPage studies(String after) throws PeerException {
        Map<?, ?> m = json("/api/inventory/studies" + (after == null ? "" : "?after=" + enc(after)));
        List<Inventory.StudyDigest> out = new ArrayList<>();
        for (Object o : list(m, "studies")) {
            Map<?, ?> s = (Map<?, ?>) o;
            out.add(new Inventory.StudyDigest(str(s, "studyInstanceUID"), str(s, "patientID"), num(s, "instances"),
                    str(s, "digest"), num(s, "lastReceived")));
        }
        return new StudyPage(out, str(m, "next"));
    }

    public List<Inventory.SeriesDigest> series(String study) throws PeerException {
        List<Inventory.SeriesDigest> out = new ArrayList<>();
        for (Object o : list(json("/api/inventory/studies/" + enc(study) + "/series"), "series")) {
            Map<?, ?> s = (Map<?, ?>) o;
            out.add(new Inventory.SeriesDigest(str(s, "seriesInstanceUID"), num(s, "instances"), str(s, "digest")));
        }
        return out;
    }

    public List<Inventory.Entry> instances(String study, String series) throws PeerException {
        List<Inventory.Entry> out = new ArrayList<>();
        for (Object o : list(json("/api/inventory/studies/" + enc(study) + "/series/" + enc(series) + "/instances"), "instances")) {
            Map<?, ?> s = (Map<?, ?>) o;
            out.add(new Inventory.Entry(str(s, "sopInstanceUID"), str(s, "sha256"), str(s, "datasetSha256"), num(s, "size")));
        }
        return out;
    }

    /** One study as the peer's QIDO-RS lists it. */
    public record PeerStudy(String studyUid, String date, String time, List<String> modalities) {
    }

    /** The patient's studies at the peer (QIDO-RS, PS3.18 10.6), at most 1000. */
    public List<PeerStudy> studiesOf(String patientId) throws PeerException {
        String path = "/dicom-web/studies?PatientID=" + enc(patientId) + "&limit=1000";
        HttpResponse<byte[]> r = send(request(path).header("Accept", "application/dicom+json").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray(), path);
        if (r.statusCode() == 204) {
            return List.of();
        }
        String text = new String(r.body(), StandardCharsets.UTF_8);
        if (r.statusCode() != 200) {
            throw new PeerException(where(path) + " answered " + r.statusCode() + ": " + text.substring(0, Math.min(300, text.length())), null);
        }
        Object o;
        try {
            o = new Load(LoadSettings.builder().build()).loadFromString(text);
        } catch (RuntimeException e) {
            throw new PeerException(where(path) + " answered something that is not JSON: " + e.getMessage(), e);
        }
        List<PeerStudy> out = new ArrayList<>();
        if (o instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> m) {
                    List<String> modalities = values(m, "00080061");
                    String uid = values(m, "0020000D").stream().findFirst().orElse(null);
                    if (uid != null) {
                        out.add(new PeerStudy(uid, values(m, "00080020").stream().findFirst().orElse(""),
                                values(m, "00080030").stream().findFirst().orElse(""), modalities));
                    }
                }
            }
        }
        return out;
    }

    /** A QIDO-RS search at the peer ({@code path} from /studies, /series or /instances, with its parameters). */
    public List<dev.steadfast.dicom.Dataset> qido(String path) throws PeerException {
        String full = "/dicom-web" + path;
        HttpResponse<byte[]> r = send(request(full).header("Accept", "application/dicom+json").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray(), full);
        if (r.statusCode() == 204) {
            return List.of();
        }
        if (r.statusCode() != 200) {
            String text = new String(r.body(), StandardCharsets.UTF_8);
            throw new PeerException(where(full) + " answered " + r.statusCode() + ": " + text.substring(0, Math.min(300, text.length())), null);
        }
        try {
            return dev.steadfast.dicom.json.DicomJsonReader.readArray(new java.io.InputStreamReader(
                    new ByteArrayInputStream(r.body()), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PeerException(where(full) + " answered something that is not DICOM JSON: " + e.getMessage(), e);
        }
    }

    /** The string values of one attribute of a DICOM JSON object. */
    private static List<String> values(Map<?, ?> dataset, String tag) {
        if (dataset.get(tag) instanceof Map<?, ?> a && a.get("Value") instanceof List<?> v) {
            return v.stream().filter(x -> x != null).map(String::valueOf).toList();
        }
        return List.of();
    }

    /**
     * The SOP Instance UIDs of a study that rejection notes rejected at the peer (issue 18). A peer of
     * an older release has no such list: none.
     */
    public java.util.Set<String> rejected(String study) throws PeerException {
        String path = "/api/inventory/studies/" + enc(study) + "/rejections";
        HttpResponse<byte[]> r = send(request(path).header("Accept", "application/json").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray(), path);
        String text = new String(r.body(), StandardCharsets.UTF_8);
        if (r.statusCode() == 404) {
            return java.util.Set.of();
        }
        if (r.statusCode() != 200) {
            throw new PeerException(where(path) + " answered " + r.statusCode() + ": " + text.substring(0, Math.min(300, text.length())), null);
        }
        java.util.Set<String> out = new java.util.TreeSet<>();
        try {
            if (new Load(LoadSettings.builder().build()).loadFromString(text) instanceof Map<?, ?> m) {
                for (Object o : list(m, "rejected")) {
                    out.add(String.valueOf(o));
                }
            }
        } catch (RuntimeException e) {
            throw new PeerException(where(path) + " answered something that is not JSON: " + e.getMessage(), e);
        }
        return out;
    }

    /** Every deletion the peer recorded, oldest first. */
    public List<Inventory.Tombstone> deletions() throws PeerException {
        List<Inventory.Tombstone> out = new ArrayList<>();
        String after = "0";
        while (after != null) {
            Map<?, ?> m = json("/api/inventory/deletions?after=" + after);
            for (Object o : list(m, "deletions")) {
                Map<?, ?> d = (Map<?, ?>) o;
                out.add(new Inventory.Tombstone(num(d, "id"), str(d, "studyInstanceUID"), num(d, "deletedAt")));
            }
            Object next = m.get("next");
            after = next == null ? null : String.valueOf(next);
        }
        return out;
    }

    /**
     * Fetches one instance over WADO-RS (PS3.18 10.4, as stored: {@code transfer-syntax=*}) into
     * {@code file}, and checks its SHA-256 against {@code expectedSha256} (the peer's inventory).
     */
    public void fetch(String study, String series, String sop, String expectedSha256, Path file) throws PeerException {
        String path = "/dicom-web/studies/" + enc(study) + "/series/" + enc(series) + "/instances/" + enc(sop);
        HttpResponse<InputStream> r = send(request(path).header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*")
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream(), path);
        try (InputStream body = new IdleTimeoutInputStream(r.body(), timeout)) {
            if (r.statusCode() != 200) {
                throw new PeerException(where(path) + " answered " + r.statusCode() + ": " + brief(body), null);
            }
            String ct = r.headers().firstValue("Content-Type").orElse("");
            java.util.regex.Matcher b = java.util.regex.Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(ct);
            if (!b.find()) {
                throw new PeerException(where(path) + " answered " + ct + ", not multipart/related", null);
            }
            MultipartReader.Part part = new MultipartReader(body, b.group(1)).next();
            if (part == null) {
                throw new PeerException(where(path) + " answered an empty multipart body", null);
            }
            MessageDigest sha = sha256();
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
                part.body().transferTo(out);
            }
            String got = HexFormat.of().formatHex(sha.digest());
            if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(got)) {
                throw new PeerException(where(path) + " sent bytes whose SHA-256 is " + got + ", not the " + expectedSha256
                        + " its inventory lists; not stored", null);
            }
        } catch (PeerException e) {
            throw e;
        } catch (IOException e) {
            throw new PeerException(where(path) + ": " + describe(e), e);
        }
    }

    /** Sends one Part 10 object over STOW-RS (PS3.18 10.5); the peer must store it (200). */
    public void stow(Supplier<InputStream> part10) throws PeerException {
        String boundary = "steadfast-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        String path = "/dicom-web/studies";
        HttpResponse<InputStream> r = send(request(path)
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(java.util.Collections.enumeration(
                        List.of(new ByteArrayInputStream(head), part10.get(), new ByteArrayInputStream(tail)))))).build(),
                HttpResponse.BodyHandlers.ofInputStream(), path);
        try (InputStream body = r.body()) {
            if (r.statusCode() != 200) {
                throw new PeerException(where(path) + " did not store it: " + r.statusCode() + " " + brief(body), null);
            }
        } catch (PeerException e) {
            throw e;
        } catch (IOException e) {
            throw new PeerException(where(path) + ": " + describe(e), e);
        }
    }

    /** Deletes a study on the peer (its admin API, which must have deletion enabled), with a reason. */
    public void deleteStudy(String study, String reason) throws PeerException {
        String path = "/api/studies/" + enc(study) + "?reason=" + enc(reason);
        HttpResponse<InputStream> r = send(request(path).DELETE().build(), HttpResponse.BodyHandlers.ofInputStream(), path);
        try (InputStream body = r.body()) {
            if (r.statusCode() != 200 && r.statusCode() != 404) {
                throw new PeerException(where(path) + " refused to delete: " + r.statusCode() + " " + brief(body), null);
            }
        } catch (PeerException e) {
            throw e;
        } catch (IOException e) {
            throw new PeerException(where(path) + ": " + describe(e), e);
        }
    }

    private Map<?, ?> json(String path) throws PeerException {
        HttpResponse<byte[]> r = send(request(path).header("Accept", "application/json").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray(), path);
        String text = new String(r.body(), StandardCharsets.UTF_8);
        if (r.statusCode() != 200) {
            throw new PeerException(where(path) + " answered " + r.statusCode() + ": " + text.substring(0, Math.min(300, text.length())), null);
        }
        try {
            // YAML 1.2 reads JSON; the configuration's parser, no second JSON library.
            Object o = new Load(LoadSettings.builder().build()).loadFromString(text);
            if (o instanceof Map<?, ?> m) {
                return m;
            }
        } catch (RuntimeException e) {
            throw new PeerException(where(path) + " answered something that is not JSON: " + e.getMessage(), e);
        }
        throw new PeerException(where(path) + " answered JSON that is not an object", null);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    /** Sends, bounded: the answer's headers within the timeout (asynchronously, so a silent link cannot hold us). */
    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, String path) throws PeerException {
        var future = http.sendAsync(request, handler);
        try {
            return future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new PeerException(where(path) + ": no answer within " + timeout.toSeconds() + " s (sites.peer.timeout-seconds)", e);
        } catch (ExecutionException e) {
            throw new PeerException(where(path) + ": " + describe(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new PeerException(where(path) + ": interrupted", e);
        }
    }

    private String where(String path) {
        int q = path.indexOf('?');
        return "peer site " + base + " (" + (q < 0 ? path : path.substring(0, q)) + ")";
    }

    private String describe(Throwable t) {
        if (t instanceof HttpTimeoutException) {
            return "no answer within " + timeout.toSeconds() + " s (sites.peer.timeout-seconds)";
        }
        if (t instanceof ConnectException) {
            return "cannot connect (" + (t.getMessage() == null ? "refused" : t.getMessage()) + ")";
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String brief(InputStream body) throws IOException {
        byte[] b = body.readNBytes(300);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<?> list(Map<?, ?> m, String key) {
        return m.get(key) instanceof List<?> l ? l : List.of();
    }

    private static String str(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? null : String.valueOf(v);
    }

    private static long num(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.longValue() : v == null ? 0 : Long.parseLong(String.valueOf(v));
    }
}

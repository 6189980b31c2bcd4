package dev.steadfast.server.forward;

import dev.steadfast.archive.forward.ForwardEntry;
import dev.steadfast.archive.forward.ForwardSender;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.server.config.ForwardingConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Forwards with STOW-RS (PS3.18 10.5) to a DICOMweb server, one instance per request: the stored
 * Part 10 object byte for byte (the data set as received, behind our File Meta Information). For
 * another Steadfast it also carries deletions: {@code DELETE /api/studies/{uid}?reason=...} on its
 * admin API (a study it does not have counts as deleted).
 *
 * <p>What the server answers decides: 200 (and 202 without a failed instance) is delivered; 408,
 * 429, 5xx and a broken connection mean unreachable (retried without limit); any other answer is a
 * refusal, kept with the server's words as the reason.
 */
final class StowForwardSender implements ForwardSender {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final ForwardingConfig.Destination destination;
    private final Index index;
    private final RetrieveEngine retrieve;
    private final HttpClient http;

    StowForwardSender(ForwardingConfig.Destination destination, Index index, RetrieveEngine retrieve) {
        this.destination = destination;
        this.index = index;
        this.retrieve = retrieve;
        // HTTP/1.1: an h2c upgrade offer is not what every DICOMweb server (Orthanc's civetweb) speaks.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public String name() {
        return destination.name();
    }

    @Override
    public boolean ordered() {
        return destination.ordered();
    }

    private URI studies() {
        String base = destination.url().toString();
        return URI.create((destination.type() == ForwardingConfig.Type.STEADFAST ? base + "/dicom-web" : base) + "/studies");
    }

    @Override
    public Link open(List<ForwardEntry> batch) {
        return new Link() {
            @Override
            public Result send(ForwardEntry e) throws IOException, Refused {
                return e.kind() == ForwardEntry.Kind.DELETE ? delete(e) : store(e);
            }

            @Override
            public void close() {
                // the client's connections are pooled and reused by the next batch
            }
        };
    }

    private Result store(ForwardEntry e) throws IOException, Refused {
        Optional<StoredInstance> stored = index.read(tx -> tx.instances().find(e.sopUid()));
        if (stored.isEmpty()) {
            return Result.GONE;
        }
        String boundary = "steadfast-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        StoredInstance instance = stored.get();
        if (!UnusableCopy.check(e.sopUid(), () -> retrieve.verifyFully(instance), // a corrupt copy is never forwarded
                () -> index.read(tx -> tx.instances().find(e.sopUid())).isPresent())) {
            return Result.GONE;
        }
        HttpRequest request = authorized(HttpRequest.newBuilder(studies()))
                .timeout(TIMEOUT)
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return new SequenceInputStream(java.util.Collections.enumeration(List.<InputStream>of(
                                new ByteArrayInputStream(head), retrieve.open(instance), new ByteArrayInputStream(tail))));
                    } catch (IOException x) {
                        throw new java.io.UncheckedIOException(x);
                    }
                }), head.length + instance.record().size() + tail.length))
                .build();
        HttpResponse<String> r = send(request);
        int s = r.statusCode();
        if (s == 200 || (s == 202 && !r.body().contains("00081198"))) { // 202 with no Failed SOP Sequence: warnings only
            return Result.SENT;
        }
        throw outcome(r, "STOW-RS");
    }

    private Result delete(ForwardEntry e) throws IOException, Refused {
        if (destination.type() != ForwardingConfig.Type.STEADFAST) {
            throw new Refused("a DICOMweb server has no standard way to delete a study; delete it there by hand");
        }
        String reason = "deleted at the source archive: " + (e.reason() == null ? "" : e.reason());
        URI uri = URI.create(destination.url() + "/api/studies/" + URLEncoder.encode(e.studyUid(), StandardCharsets.UTF_8)
                + "?reason=" + URLEncoder.encode(reason, StandardCharsets.UTF_8));
        HttpResponse<String> r = send(authorized(HttpRequest.newBuilder(uri)).timeout(TIMEOUT).DELETE().build());
        if (r.statusCode() == 200 || r.statusCode() == 404) { // 404: it never had the study, or deleted it already
            return Result.SENT;
        }
        throw outcome(r, "DELETE");
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while forwarding");
        } catch (java.io.UncheckedIOException x) {
            throw x.getCause();
        }
    }

    /** Unreachable (an IOException) or refused, from the status. */
    private static Refused outcome(HttpResponse<String> r, String what) throws IOException {
        int s = r.statusCode();
        String body = r.body() == null ? "" : r.body().strip();
        String text = what + " answered HTTP " + s + (body.isEmpty() ? "" : ": " + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
        if (s == 408 || s == 429 || s >= 500) {
            throw new IOException(text);
        }
        return new Refused(text);
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder b) {
        if (destination.bearerToken() != null) {
            b.header("Authorization", "Bearer " + destination.bearerToken());
        } else if (destination.username() != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (destination.username() + ":" + destination.password()).getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }
}

package dev.steadfast.server.imaging;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.dicom.io.ReadOptions;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Corpus;
import dev.steadfast.web.multipart.MultipartReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Corpus images stored in a running node over DICOM (C-STORE, each in its own transfer syntax),
 * and the plain HTTP a viewer uses to ask for their frames.
 */
public final class ServedCorpus {
    private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 1_000_000_000L);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final java.util.Set<String> USED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private ServedCorpus() {}

    /** One stored image: its corpus entry, stored transfer syntax, WADO-RS instance URL path and the file sent. */
    public record Image(Corpus.Entry entry, String transferSyntax, String path, Dataset header, boolean hasPixels, Path file) {
        @Override
        public String toString() { return entry.name(); }
    }

    /** Well-formed corpus images (rows x columns x frames given). */
    static List<Corpus.Entry> images() {
        java.util.Set<String> images = new java.util.HashSet<>();
        try {
            for (String l : Files.readAllLines(Corpus.root().resolve("MANIFEST.tsv"))) {
                String[] c = l.split("\t", -1);
                if (c.length > 6 && !c[6].strip().equals("-")) {
                    images.add(c[0]);
                }
            }
        } catch (IOException ex) {
            throw new AssertionError(ex);
        }
        return Corpus.wellFormed().stream().filter(e -> images.contains(e.name())).toList();
    }

    /**
     * Stores a corpus file, giving it the UIDs it lacks (the archive refuses an instance without
     * them); null when the archive does not accept its SOP class.
     */
    public static Image store(ArchiveNode node, Corpus.Entry e, Path tmp) throws Exception {
        DicomFile f = DicomReader.readFile(e.path());
        Dataset ds = f.dataset();
        String ts = f.transferSyntaxUid();
        Path file = e.path();
        boolean changed = false;
        for (int tag : new int[] {Tag.StudyInstanceUID, Tag.SeriesInstanceUID, Tag.SOPInstanceUID}) {
            String v = ds.getString(tag);
            // The corpus holds one image in several syntaxes under one SOP Instance UID: each gets its own.
            if (v == null || v.isBlank() || (tag == Tag.SOPInstanceUID && !USED.add(v.strip()))) {
                ds.setString(tag, VR.UI, "2.25.7" + SEQ.incrementAndGet());
                changed = true;
            }
        }
        String sopClass = ds.getString(Tag.SOPClassUID);
        if (sopClass == null || sopClass.isBlank()) {
            // From the file meta (MANIFEST records it); an ACR-NEMA file has none: stored as MR.
            sopClass = Character.isDigit(e.sopClass().charAt(0)) ? e.sopClass().split(" ")[0] : "1.2.840.10008.5.1.4.1.1.4";
            ds.setString(Tag.SOPClassUID, VR.UI, sopClass);
            changed = true;
        }
        if (changed || f.meta() == null) {
            file = tmp.resolve(e.name().replace('/', '_'));
            try (var out = Files.newOutputStream(file)) {
                DicomWriter.writeFile(out, ds, ts);
            }
        }
        try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("MOD")
                .calledAeTitle("STEADFAST").propose(sopClass, ts))) {
            assertThat(c.store(file).status()).as("C-STORE of %s", e.name()).isEqualTo(Status.SUCCESS);
        } catch (dev.steadfast.net.dimse.DimseException refused) {
            if (refused.getMessage().contains("no accepted presentation context")) {
                return null; // a SOP class the archive does not take (yet): nothing to serve
            }
            throw refused;
        }
        String path = "/studies/" + ds.getString(Tag.StudyInstanceUID).strip() + "/series/"
                + ds.getString(Tag.SeriesInstanceUID).strip() + "/instances/" + ds.getString(Tag.SOPInstanceUID).strip();
        Dataset header = DicomReader.read(new ByteArrayInputStream(Files.readAllBytes(file)), ReadOptions.headerOnly()).dataset();
        boolean hasPixels = false;
        for (int tag : new int[] {Tag.PixelData, Tag.FloatPixelData, Tag.DoubleFloatPixelData}) {
            var px = ds.get(tag);
            hasPixels |= px != null && !px.isEmpty();
        }
        return new Image(e, ts, path, header, hasPixels, file);
    }

    static HttpResponse<byte[]> get(ArchiveNode node, String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/dicom-web" + path))
                .timeout(Duration.ofSeconds(120)).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A part of a multipart/related response: its Content-Type and body. */
    record Part(String contentType, byte[] body) {}

    /** Every part, read by the archive's own strict reader: a body without its closing delimiter fails. */
    static List<Part> parts(HttpResponse<byte[]> r) throws IOException {
        String ct = r.headers().firstValue("Content-Type").orElseThrow();
        String boundary = ct.replaceAll(".*boundary=\"?([^\";]+)\"?.*", "$1");
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(r.body()), boundary);
        List<Part> out = new ArrayList<>();
        for (MultipartReader.Part p = reader.next(); p != null; p = reader.next()) {
            out.add(new Part(p.header("Content-Type"), p.body().readAllBytes()));
        }
        return out;
    }
}

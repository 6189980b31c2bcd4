package dev.steadfast.web.stow;

import dev.steadfast.archive.ingest.IngestException;
import dev.steadfast.archive.ingest.IngestOutcome;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.dicom.BulkData;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Fragments;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.TransferSyntax;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.dicom.json.DicomJsonException;
import dev.steadfast.dicom.json.DicomJsonReader;
import dev.steadfast.web.http.HttpError;
import dev.steadfast.web.http.MediaType;
import dev.steadfast.web.multipart.MultipartReader;
import dev.steadfast.web.wado.FrameMediaTypes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * STOW-RS of metadata and bulk data (PS3.18 10.5.1.2.2): a multipart/related body of type
 * application/dicom+json whose first part is a JSON array of instances and whose further parts
 * carry the values their BulkDataURIs name, matched by Content-Location. Bulk data parts are
 * spooled to temporary files and referenced, never held in memory; each instance is then written
 * as a Part 10 object and goes through the same ingest as application/dicom parts.
 *
 * <p>Pixel Data in application/octet-stream is native (Explicit VR Little Endian); in a
 * compressed media type it becomes one fragment per part with that Content-Location, in the
 * part's transfer-syntax (or the media type's default).
 */
final class MetadataStow {
    private final IngestService ingest;
    private final String sourceName;

    /**
     * The metadata part is parsed in memory (every data set of the request at once), so it is bounded: bulk data
     * belongs in its own parts, which go to disk. 64 MiB is about 100,000 instances' worth of header JSON.
     */
    static final long MAX_METADATA_BYTES = 64L << 20;

    /** Counts what the JSON parser reads and stops it past the limit (issue 14: memory bounds for JSON metadata). */
    static final class MetadataLimit extends java.io.FilterInputStream {
        static final class TooLarge extends IOException {
            private static final long serialVersionUID = 1L;

            TooLarge(long limit) {
                super("the application/dicom+json metadata part is larger than " + (limit >> 20)
                        + " MiB; send bulk data as separate parts, or fewer instances per request");
            }
        }

        private final long limit;
        private long count;

        MetadataLimit(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++count > limit) {
                throw new TooLarge(limit);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0 && (count += n) > limit) {
                throw new TooLarge(limit);
            }
            return n;
        }
    }

    MetadataStow(IngestService ingest, String sourceName) {
        this.ingest = ingest;
        this.sourceName = sourceName;
    }

    /** A value named by a BulkDataURI, where it sits in the metadata. */
    private record Reference(String uri, VR vr) {}

    /** One bulk data part on disk. */
    private record Spooled(Path file, long length, MediaType type) {}

    /** Reads and stores the whole body; returns why the body is broken, or null. */
    String store(MultipartReader reader, String studyInPath, StowReport report) throws IOException {
        MultipartReader.Part first = reader.next();
        if (first == null) {
            return null;
        }
        MediaType firstType = MediaType.parse(first.header("Content-Type"));
        if (firstType != null && !firstType.essence().equals("application/dicom+json")
                && !firstType.essence().equals("application/json")) {
            throw HttpError.badRequest("the first part must be the application/dicom+json metadata, not "
                    + firstType.essence());
        }
        Map<Object, Reference> markers = new IdentityHashMap<>();
        List<Dataset> instances;
        try {
            instances = DicomJsonReader.readArray(new BufferedReader(new InputStreamReader(
                    new MetadataLimit(first.body(), MAX_METADATA_BYTES), StandardCharsets.UTF_8)), (path, vr, uri) -> {
                        byte[] marker = new byte[0];
                        markers.put(marker, new Reference(uri, vr));
                        return marker;
                    });
        } catch (DicomJsonException e) {
            throw HttpError.badRequest("the metadata part is not valid DICOM JSON: " + e.getMessage());
        } catch (MetadataLimit.TooLarge e) {
            throw new HttpError(413, e.getMessage());
        }
        Map<String, List<Spooled>> parts = new HashMap<>();
        List<Path> temps = new ArrayList<>();
        try {
            String broken = spool(reader, parts, temps, ingest.temporaryFolder());
            if (broken != null) {
                return broken;
            }
            for (Dataset ds : instances) {
                storeOne(ds, markers, parts, studyInPath, report);
            }
            return null;
        } finally {
            for (Path p : temps) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** @param folder the node's scratch folder (a kill -9 leaves files there, and the next start removes them) */
    private static String spool(MultipartReader reader, Map<String, List<Spooled>> parts, List<Path> temps, Path folder)
            throws IOException {
        MultipartReader.Part part;
        while ((part = reader.next()) != null) {
            String location = part.header("Content-Location");
            MediaType type = MediaType.parse(part.header("Content-Type"));
            Path tmp = temporary(folder, ".bulk");
            temps.add(tmp);
            long n;
            try (InputStream in = part.body(); OutputStream out = Files.newOutputStream(tmp)) {
                n = in.transferTo(out);
                if ((n & 1) == 1) {
                    out.write(0); // DICOM values have even length
                    n++;
                }
            } catch (dev.steadfast.web.multipart.MalformedMultipartException e) {
                return e.getMessage();
            }
            if (location != null) {
                parts.computeIfAbsent(location.strip(), k -> new ArrayList<>())
                        .add(new Spooled(tmp, n, type == null ? MediaType.parse(FrameMediaTypes.OCTET) : type));
            }
        }
        return null;
    }

    private static Path temporary(Path folder, String suffix) throws IOException {
        return folder == null ? Files.createTempFile("steadfast-stow", suffix) : Files.createTempFile(folder, "steadfast-stow", suffix);
    }

    private void storeOne(Dataset ds, Map<Object, Reference> markers, Map<String, List<Spooled>> parts,
                          String studyInPath, StowReport report) throws IOException {
        String sopClass = ds.getString(Tag.SOPClassUID);
        String sop = ds.getString(Tag.SOPInstanceUID);
        String study = ds.getString(Tag.StudyInstanceUID);
        if (studyInPath != null && study != null && !studyInPath.equals(study)) {
            report.failed(sopClass, sop, FailureReason.STUDY_UID_MISMATCH, "Study Instance UID is not the one in the path");
            return;
        }
        String[] ts = {UID.ExplicitVRLittleEndian};
        String missing = resolve(ds, markers, parts, ts);
        if (missing != null) {
            report.failed(sopClass, sop, FailureReason.CANNOT_UNDERSTAND, "no bulk data part for " + missing);
            return;
        }
        Path file = temporary(ingest.temporaryFolder(), ".dcm");
        try {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)) {
                DicomWriter.writeFile(out, ds, ts[0]);
            } catch (RuntimeException e) {
                report.failed(sopClass, sop, FailureReason.CANNOT_UNDERSTAND, "cannot be encoded: " + e.getMessage());
                return;
            }
            try (InputStream in = Files.newInputStream(file)) {
                StoreResult r = ingest.storePart10(in, sourceName);
                report.stored(r);
            } catch (IngestException e) {
                report.refused(sopClass, sop, IngestOutcome.of(e.kind()), e.getMessage());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Replaces each marker with its spooled part(s); returns the URI of one without a part, or null. */
    private static String resolve(Dataset ds, Map<Object, Reference> markers, Map<String, List<Spooled>> parts,
                                  String[] ts) {
        List<Element> replaced = new ArrayList<>();
        for (Element e : ds) {
            if (e.value() instanceof Sequence seq) {
                for (Dataset item : seq) {
                    String missing = resolve(item, markers, parts, ts);
                    if (missing != null) {
                        return missing;
                    }
                }
                continue;
            }
            Reference ref = e.value() == null ? null : markers.get(e.value());
            if (ref == null) {
                continue;
            }
            List<Spooled> found = parts.get(ref.uri());
            if (found == null) {
                return ref.uri();
            }
            Spooled s = found.getFirst();
            String essence = s.type().essence();
            if (e.tag() == Tag.PixelData && ds.parent() == null && !essence.equals(FrameMediaTypes.OCTET)) {
                String syntax = s.type().param("transfer-syntax");
                ts[0] = syntax != null ? syntax : FrameMediaTypes.defaultSyntax(essence);
                if (ts[0] == null || TransferSyntax.of(ts[0]).isNative()) {
                    return ref.uri() + " (media type " + essence + " is not a pixel data encoding)";
                }
                Fragments f = new Fragments();
                f.add(new byte[0]);
                for (Spooled frame : found) {
                    f.add(new BulkData(frame.file(), 0, frame.length(), false));
                }
                replaced.add(new Element(e.tag(), VR.OB, f, false));
            } else {
                replaced.add(new Element(e.tag(), ref.vr(), new BulkData(s.file(), 0, s.length(), false), false));
            }
        }
        replaced.forEach(ds::put);
        return null;
    }
}

package dev.steadfast.web.wado;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.archive.retrieve.RetrieveRequest;
import dev.steadfast.dicom.BulkData;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Fragments;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.TransferSyntax;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.json.BulkDataUris;
import dev.steadfast.dicom.json.JsonOptions;
import dev.steadfast.web.http.DicomBodies;
import dev.steadfast.web.http.Exchange;
import dev.steadfast.web.http.HttpError;
import dev.steadfast.web.http.MediaType;
import dev.steadfast.web.http.Negotiation;
import dev.steadfast.web.imaging.Imaging;
import dev.steadfast.web.multipart.MultipartWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * WADO-RS retrieve of studies, series and instances (PS3.18 10.4): the stored Part 10 objects,
 * streamed one after the other as multipart/related parts with checksum verification; and their
 * metadata, answered from the index without opening a file.
 */
public final class WadoService {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(WadoService.class);
    private final DirectBuffers buffers = new DirectBuffers();
    private final RetrieveEngine retrieve;
    private final Imaging imaging;

    private dev.steadfast.archive.audit.AccessAudit audit = dev.steadfast.archive.audit.AccessAudit.NONE;

    public WadoService(RetrieveEngine retrieve, Imaging imaging) {
        this.retrieve = retrieve;
        this.imaging = imaging;
    }

    /** Reports every study retrieve to the audit trail (before the service is routed). */
    public WadoService audited(dev.steadfast.archive.audit.AccessAudit a) {
        this.audit = a;
        return this;
    }

    public void retrieve(Exchange x) throws IOException {
        List<StoredInstance> instances = locate(x);
        String target = RetrieveNegotiation.choose(x.accept(), ts -> instances.stream().allMatch(i ->
                i.record().transferSyntax().equals(ts) || canTranscode(i, ts)));
        int keptByDefault = 0;
        if (target.equals(RetrieveNegotiation.DEFAULT)) {
            for (StoredInstance i : instances) {
                String stored = i.record().transferSyntax();
                keptByDefault += !stored.equals(target) && keepForDefault(stored) ? 1 : 0;
            }
        }
        if (keptByDefault > 0) {
            x.warning(keptByDefault + " instance(s) sent in their stored transfer syntax: held only in lossy form"
                    + " or in a syntax this server cannot decode");
        }
        ByteBuffer buffer = buffers.take();
        try {
            List<StoredInstance> sendable = sendable(x, instances, buffer);
            boolean sent = false;
            try {
                send(x, sendable, target, buffer);
                sent = true;
            } finally {
                audit(x, sendable, sent);
            }
        } finally {
            buffers.give(buffer);
        }
    }

    /** One "DICOM Instances Transferred" (read) per study sent, the requestor being its destination. */
    private void audit(Exchange x, List<StoredInstance> sent, boolean complete) {
        java.util.Map<String, java.util.Map<String, Integer>> byStudy = new java.util.LinkedHashMap<>();
        for (StoredInstance i : sent) {
            byStudy.computeIfAbsent(i.studyUid(), k -> new java.util.LinkedHashMap<>())
                    .merge(i.record().sopClassUid(), 1, Integer::sum);
        }
        var who = new dev.steadfast.archive.audit.AuditEvents.Actor(x.user() == null ? "DICOMWEB" : x.user(), x.remoteAddress());
        List<dev.steadfast.archive.audit.AuditEvents.StudyRef> studies = new java.util.ArrayList<>();
        byStudy.forEach((study, classes) -> studies.add(new dev.steadfast.archive.audit.AuditEvents.StudyRef(study, null, null,
                classes)));
        audit.retrieved(who, who, studies, !complete, complete ? null : "the WADO-RS response was cut off");
    }

    /** Most Warning headers naming left-out instances; the rest are counted in one more. */
    static final int LISTED_MISSING = 20;

    /**
     * PS3.18 10.4.3: the status line goes out before the body, so every instance is read through
     * its check first ({@link RetrieveEngine#check}); one without a good copy is left out, the rest
     * go with 206 (Partial Content) and a Warning header naming each instance left out. None left:
     * 500, naming them. A damaged object is never sent in part and never cuts the answer short.
     */
    private List<StoredInstance> sendable(Exchange x, List<StoredInstance> instances, ByteBuffer buffer) {
        List<StoredInstance> good = new java.util.ArrayList<>(instances.size());
        List<String> missing = new java.util.ArrayList<>();
        for (StoredInstance i : instances) {
            try {
                retrieve.check(i, buffer);
                good.add(i);
            } catch (IOException | RuntimeException e) {
                log.error("WADO-RS: instance {} left out: {}", i.record().sopUid(), e.toString());
                missing.add("instance " + i.record().sopUid() + (e instanceof java.nio.file.NoSuchFileException
                        ? " not sent: missing from storage" : " not sent: no stored copy passed its checksum"));
            }
        }
        if (missing.isEmpty()) {
            return good;
        }
        if (good.isEmpty()) {
            throw new HttpError(500, missing.size() == 1 ? missing.getFirst()
                    : "none of the " + missing.size() + " instances could be sent (missing from storage or damaged)");
        }
        x.status(206);
        missing.subList(0, Math.min(LISTED_MISSING, missing.size())).forEach(x::warning);
        if (missing.size() > LISTED_MISSING) {
            x.warning((missing.size() - LISTED_MISSING) + " more instances not sent: missing from storage or damaged");
        }
        return good;
    }

    private void send(Exchange x, List<StoredInstance> instances, String target, ByteBuffer buffer) throws IOException {
        String boundary = MultipartWriter.newBoundary();
        OutputStream out = x.open("multipart/related; type=\"application/dicom\"; boundary=" + boundary, false);
        try (MultipartWriter mp = new MultipartWriter(out, boundary)) {
            for (StoredInstance i : instances) {
                String stored = i.record().transferSyntax();
                boolean keep = target.equals(RetrieveNegotiation.AS_STORED) || target.equals(stored)
                        || (target.equals(RetrieveNegotiation.DEFAULT) && keepForDefault(stored));
                String location = Urls.instance(x.baseUrl(), i.studyUid(), i.seriesUid(), i.record().sopUid());
                if (!keep) {
                    // Transcoding holds the instance in memory anyway; finishing it before the part
                    // starts lets a default-syntax failure fall back to the stored bytes.
                    ByteArrayOutputStream converted = new ByteArrayOutputStream();
                    try (InputStream in = retrieve.open(i)) {
                        imaging.transcode(in, target, converted);
                    } catch (HttpError e) {
                        if (!target.equals(RetrieveNegotiation.DEFAULT)) {
                            throw e;
                        }
                        log.warn("instance {} goes out as stored: {}", i.record().sopUid(), e.getMessage());
                        converted = null;
                    }
                    if (converted != null) {
                        converted.writeTo(mp.part("application/dicom; transfer-syntax=" + target, location));
                        continue;
                    }
                }
                mp.part("application/dicom; transfer-syntax=" + stored, location);
                retrieve.transfer(i, buffer, x::write);
            }
        }
    }

    private boolean canTranscode(StoredInstance i, String ts) {
        try {
            return imaging.canTranscode(retrieve.metadata(i), i.record().transferSyntax(), ts);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** PS3.18 8.7.3: the default syntax is not forced on lossy pixel data or on what cannot be decoded. */
    private boolean keepForDefault(String stored) {
        return imaging.isLossy(stored) || !imaging.canTranscode(stored, RetrieveNegotiation.DEFAULT);
    }

    public void metadata(Exchange x) throws IOException {
        List<StoredInstance> instances = locate(x);
        String type = metadataType(x.accept());
        // Revalidated on every use (patient data stays private to the browser); unchanged metadata costs a 304.
        String etag = MetadataValidator.etag(type, x.baseUrl(), instances);
        x.setHeader("ETag", etag);
        x.setHeader("Cache-Control", "private, no-cache");
        x.addHeader("Vary", "Accept");
        if (RenderedService.matches(x.headers("If-None-Match"), etag.substring(2))) {
            x.notModified();
            return;
        }
        try (DicomBodies.Stream out = DicomBodies.stream(x, type, JsonOptions.DEFAULT)) {
            for (StoredInstance i : instances) {
                String url = Urls.instance(x.baseUrl(), i.studyUid(), i.seriesUid(), i.record().sopUid());
                BulkDataUris uris = (element, path) -> url + "/bulkdata/" + BulkDataUris.pathString(path);
                out.add(withDocumentReference(withPixelDataReference(retrieve.metadata(i), i, retrieve)),
                        JsonOptions.DEFAULT.withUris(uris));
            }
        }
    }

    /** Instances named by the path, in the index's order; 404 when there are none. */
    List<StoredInstance> locate(Exchange x) {
        String study = x.pathParam("study");
        String series = x.pathParamOrNull("series");
        String sop = x.pathParamOrNull("instance");
        RetrieveRequest r = sop != null ? RetrieveRequest.instance(study, series, sop)
                : series != null ? RetrieveRequest.series(study, series) : RetrieveRequest.study(study);
        List<StoredInstance> found;
        try {
            found = retrieve.locate(r);
        } catch (dev.steadfast.archive.retrieve.RemoteCopies.UnavailableException e) {
            // Not here, and the peer site that may hold it did not answer: say so, do not hang or claim 404.
            throw new HttpError(504, "not held here, and the peer site could not be asked: " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw HttpError.notFound(sop != null ? "no such instance" : series != null ? "no such series" : "no such study");
        }
        return found;
    }

    /**
     * The index keeps no pixel data; metadata still points at it (PS3.18 F.2.6: bulk data by URI),
     * but only when the object holds some: Rows alone (a header whose pixels were left out) is not
     * enough, or viewers ask for frames that do not exist (issue 16).
     */
    static Dataset withPixelDataReference(Dataset meta, StoredInstance i, RetrieveEngine retrieve) throws IOException {
        if (meta.getInt(Tag.Rows, 0) == 0 || meta.contains(Tag.PixelData) || !PixelDataPresence.of(i, retrieve)) {
            return meta;
        }
        String ts = i.record().transferSyntax();
        if (!TransferSyntax.of(ts).isNative()) {
            meta.put(new Element(Tag.PixelData, VR.OB, new Fragments(), false));
        } else {
            VR vr = meta.getInt(Tag.BitsAllocated, 8) > 8 ? VR.OW : VR.OB;
            // A placeholder only: the URI names the value; nothing reads this path.
            meta.put(new Element(Tag.PixelData, vr, new BulkData(Path.of("/"), 0, 0, false), false));
        }
        return meta;
    }

    /**
     * The index keeps no bulk data, so an encapsulated document (PDF, CDA, STL...) larger than the
     * index's inline limit would vanish from the metadata; Encapsulated Document is Type 1 wherever
     * its MIME type is, so its BulkDataURI is given whenever the MIME type is there (PS3.18 F.2.6).
     */
    static Dataset withDocumentReference(Dataset meta) {
        if (meta.contains(Tag.MIMETypeOfEncapsulatedDocument) && !meta.contains(Tag.EncapsulatedDocument)) {
            // A placeholder only: the URI names the value, served from the stored header.
            meta.put(new Element(Tag.EncapsulatedDocument, VR.OB, new BulkData(Path.of("/"), 0, 0, false), false));
        }
        return meta;
    }

    private static String metadataType(List<MediaType> accept) {
        for (MediaType m : accept) {
            if (m.essence().equals("multipart/related") && DicomBodies.XML.equalsIgnoreCase(m.param("type"))) {
                return DicomBodies.XML;
            }
        }
        return Negotiation.choose(accept, DicomBodies.JSON, "application/json");
    }
}

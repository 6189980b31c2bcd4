package dev.steadfast.web.wado;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.TransferSyntax;
import dev.steadfast.web.http.Exchange;
import dev.steadfast.web.http.HttpError;
import dev.steadfast.web.http.MediaType;
import dev.steadfast.web.imaging.Imaging;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * WADO-RS frames and bulk data (PS3.18 10.4.1.1.3 and .1.5): pixel data straight from the stored
 * object, native frames as application/octet-stream, encapsulated ones in their own media type.
 * Other media types and syntaxes go through the imaging hook (decoded, or re-encoded per frame).
 */
public final class FrameService {
    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

    private final WadoService wado;
    private final RetrieveEngine retrieve;
    private final Imaging imaging;

    public FrameService(WadoService wado, RetrieveEngine retrieve, Imaging imaging) {
        this.wado = wado;
        this.retrieve = retrieve;
        this.imaging = imaging;
    }

    public void frames(Exchange x) throws IOException {
        StoredInstance i = wado.locate(x).getFirst();
        send(x, i, parseFrames(x.pathParam("frames")));
    }

    public void bulkdata(Exchange x) throws IOException {
        StoredInstance i = wado.locate(x).getFirst();
        String path = x.pathParam("path");
        if (!path.equalsIgnoreCase("7FE00010")) {
            new HeaderBulkData(retrieve).send(x, i, path);
            return;
        }
        Dataset meta = retrieve.metadata(i);
        if (!isImage(meta) || !PixelDataPresence.of(i, retrieve)) {
            throw HttpError.notFound("the instance has no pixel data");
        }
        FrameReader.Geometry g = FrameReader.Geometry.of(meta);
        String ts = i.record().transferSyntax();
        if (TransferSyntax.of(ts).isNative() && negotiate(x.accept(), ts, meta, imaging).asStored()) {
            try (FrameReader reader = new FrameReader(() -> retrieve.open(i), g)) {
                LazyMultipart mp = new LazyMultipart(x, FrameMediaTypes.OCTET);
                OutputStream part;
                if (reader.open()) {
                    part = mp.part(FrameMediaTypes.OCTET + "; transfer-syntax=" + EXPLICIT_LE, null);
                    reader.copyWholeNative(part);
                } else {
                    // Checked above, so only a Pixel Data element of no value gets here: its empty value.
                    mp.part(FrameMediaTypes.OCTET + "; transfer-syntax=" + EXPLICIT_LE, null);
                }
                mp.finish();
            }
            return;
        }
        List<Integer> all = new ArrayList<>();
        for (int f = 1; f <= g.frames(); f++) {
            all.add(f);
        }
        send(x, i, all);
    }

    /**
     * Image pixel data is what has frames (PS3.18: a frame request on an instance that is not a
     * multi-frame image is a 400, as for WADO-URI's frameNumber, 8.2.7, and rendered frames, 9.5.2).
     */
    static boolean isImage(Dataset meta) {
        return meta.getInt(Tag.Rows, 0) > 0 && meta.getInt(Tag.Columns, 0) > 0;
    }

    private void send(Exchange x, StoredInstance i, List<Integer> frames) throws IOException {
        Dataset meta = retrieve.metadata(i);
        if (!isImage(meta)) {
            throw HttpError.badRequest("the instance is not an image and has no frames (SOP class "
                    + meta.getString(Tag.SOPClassUID, "unknown") + "); retrieve the instance or its bulk data instead");
        }
        if (!PixelDataPresence.of(i, retrieve)) {
            // A header with Rows but no Pixel Data (issue 16): no frames, as for a non-image (PS3.18 9.5.2).
            throw HttpError.badRequest("the instance has no Pixel Data (7FE0,0010), so no frames; retrieve the"
                    + " instance or its metadata instead");
        }
        String ts = i.record().transferSyntax();
        FrameReader.Geometry geometry = FrameReader.Geometry.of(meta);
        for (int f : frames) {
            if (f > geometry.frames()) {
                throw HttpError.notFound("frame " + f + " does not exist: the instance has " + geometry.frames());
            }
        }
        Choice c = negotiate(x.accept(), ts, meta, imaging);
        String base = Urls.instance(x.baseUrl(), i.studyUid(), i.seriesUid(), i.record().sopUid());
        if (!c.asStored()) {
            // Converted frames are made whole before each part; the 200 waits for the first one.
            String partType = c.mediaType() + "; transfer-syntax=" + c.transferSyntax();
            LazyMultipart mp = new LazyMultipart(x, c.mediaType());
            try (InputStream in = retrieve.open(i)) {
                imaging.frames(in, c.transferSyntax(), frames, (n, data) -> mp.part(partType, base + "/frames/" + n).write(data));
            }
            mp.finish();
            return;
        }
        String stored = FrameMediaTypes.of(ts);
        boolean nativeData = TransferSyntax.of(ts).isNative();
        String partType = stored + "; transfer-syntax=" + (nativeData ? EXPLICIT_LE : ts);
        try (FrameReader reader = new FrameReader(() -> retrieve.open(i), geometry)) {
            LazyMultipart mp = new LazyMultipart(x, stored);
            boolean first = true;
            for (int f : frames) {
                if (first && !nativeData) {
                    // The first compressed frame is read whole, so missing fragments are a 404, not a committed 200.
                    ByteArrayOutputStream head = new ByteArrayOutputStream();
                    reader.copy(f, head);
                    head.writeTo(mp.part(partType, base + "/frames/" + f));
                } else {
                    if (first) {
                        reader.check(f);
                    }
                    reader.copy(f, mp.part(partType, base + "/frames/" + f));
                }
                first = false;
            }
            mp.finish();
        }
    }

    /** How frames go out: as stored, or converted to a syntax (and its media type). */
    record Choice(String mediaType, String transferSyntax) {
        static final Choice AS_STORED = new Choice(null, null);

        boolean asStored() { return transferSyntax == null; }
    }

    /**
     * The first acceptable range that can be served (PS3.18 8.7.8): as stored when the range
     * takes the stored media type and syntax, else converted to the range's named syntax or its
     * media type's default (lossless). A stored lossy image in the asked media type goes as it is
     * when no syntax is named. 406 when no range can be served. Stored big-endian frames go out
     * little endian (as stored otherwise).
     */
    static Choice negotiate(List<MediaType> accept, String storedTs, Dataset meta, Imaging imaging) {
        Choice c = choose(accept, storedTs, meta, imaging);
        // DICOMweb has no big-endian frame syntax: such frames are always made little endian.
        return c.asStored() && TransferSyntax.of(storedTs).bigEndian() ? new Choice(FrameMediaTypes.OCTET, EXPLICIT_LE) : c;
    }

    private static Choice choose(List<MediaType> accept, String storedTs, Dataset meta, Imaging imaging) {
        if (accept.isEmpty()) {
            return Choice.AS_STORED;
        }
        String storedType = FrameMediaTypes.of(storedTs);
        boolean nativeData = TransferSyntax.of(storedTs).isNative();
        String storedEffective = nativeData ? EXPLICIT_LE : storedTs;
        for (MediaType m : accept) {
            if (!m.admits("multipart/related")) {
                continue;
            }
            String type = m.param("type");
            String ts = m.param("transfer-syntax");
            if ("*".equals(ts)) {
                // Any syntax the server likes: the stored one, in its own media type (part headers
                // say which), as OHIF and dicomweb-client expect even with type=application/octet-stream.
                return Choice.AS_STORED;
            }
            MediaType t = type == null ? MediaType.ANY : MediaType.parse(type);
            if (t.isWildcard()) {
                if (t.admits(storedType) && (ts == null || ts.equals("*") || ts.equals(storedEffective))) {
                    return Choice.AS_STORED;
                }
                if (ts == null || ts.equals("*")) {
                    continue;
                }
                t = MediaType.parse(FrameMediaTypes.of(ts));
            }
            String essence = t.essence();
            boolean named = ts != null && !ts.equals("*");
            if (!named) {
                if (essence.equals(storedType) && (ts != null || nativeData || imaging.isLossy(storedTs)
                        || storedTs.equals(FrameMediaTypes.defaultSyntax(essence)))) {
                    return Choice.AS_STORED;
                }
                ts = FrameMediaTypes.defaultSyntax(essence);
                if (ts == null) {
                    continue;
                }
            } else if (!FrameMediaTypes.of(ts).equals(essence)) {
                continue; // a syntax that does not belong to the media type
            } else if (TransferSyntax.of(ts).isNative() && !ts.equals(EXPLICIT_LE)) {
                continue; // uncompressed frames are explicit VR little endian only (PS3.18 8.7.3.3.2)
            }
            if (ts.equals(storedEffective)) {
                return Choice.AS_STORED;
            }
            if ((named || !imaging.isLossy(ts)) && imaging.canTranscode(meta, storedTs, ts)) {
                return new Choice(essence, ts);
            }
        }
        throw HttpError.notAcceptable("the frames are stored as " + storedType + " (transfer syntax " + storedTs
                + ") and cannot be converted to any acceptable media type and transfer syntax");
    }

    /**
     * A frame list (PS3.18 8.3.3.1: one or more non-duplicate frame numbers, in any order). A number given
     * twice is refused: {@code 1,1,1,...} would otherwise make one short URL cost thousands of frames'
     * reading or encoding (a rendered or transcoded frame each time), while distinct numbers are bounded
     * by the instance's frames.
     */
    static List<Integer> parseFrames(String list) {
        List<Integer> out = new ArrayList<>();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (String s : list.split(",")) {
            int f;
            try {
                f = Integer.parseInt(s.strip());
                if (f < 1) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw HttpError.badRequest("frame numbers are positive integers separated by commas, not '" + list + "'");
            }
            if (!seen.add(f)) {
                throw HttpError.badRequest("frame " + f + " is listed twice; a frame list names each frame once");
            }
            out.add(f);
        }
        return out;
    }
}

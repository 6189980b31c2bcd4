package dev.steadfast.web.wado;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.TransferSyntax;
import dev.steadfast.web.http.Exchange;
import dev.steadfast.web.http.HttpError;
import dev.steadfast.web.http.MediaType;
import dev.steadfast.web.multipart.MultipartWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * WADO-RS frames and bulk data (PS3.18 10.4.1.1.3 and .1.5): pixel data straight from the stored
 * object, native frames as application/octet-stream, encapsulated ones in their own media type.
 * Anything needing decompression is 406 until a transcoder is plugged in.
 */
public final class FrameService {
    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

    private final WadoService wado;
    private final RetrieveEngine retrieve;

    public FrameService(WadoService wado, RetrieveEngine retrieve) {
        this.wado = wado;
        this.retrieve = retrieve;
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
        FrameReader.Geometry g = FrameReader.Geometry.of(meta);
        if (TransferSyntax.of(i.record().transferSyntax()).isNative()) {
            negotiate(x.accept(), FrameMediaTypes.OCTET, i.record().transferSyntax());
            String boundary = MultipartWriter.newBoundary();
            try (FrameReader reader = new FrameReader(() -> retrieve.open(i), g)) {
                OutputStream out = x.open("multipart/related; type=\"application/octet-stream\"; boundary=" + boundary,
                        false);
                try (MultipartWriter mp = new MultipartWriter(out, boundary)) {
                    reader.copyWholeNative(mp.part(FrameMediaTypes.OCTET + "; transfer-syntax=" + EXPLICIT_LE, null));
                }
            }
            return;
        }
        List<Integer> all = new ArrayList<>();
        for (int f = 1; f <= g.frames(); f++) {
            all.add(f);
        }
        send(x, i, all);
    }

    private void send(Exchange x, StoredInstance i, List<Integer> frames) throws IOException {
        Dataset meta = retrieve.metadata(i);
        String ts = i.record().transferSyntax();
        String stored = FrameMediaTypes.of(ts);
        negotiate(x.accept(), stored, ts);
        FrameReader.Geometry geometry = FrameReader.Geometry.of(meta);
        for (int f : frames) {
            if (f > geometry.frames()) {
                throw HttpError.notFound("frame " + f + " does not exist: the instance has " + geometry.frames());
            }
        }
        boolean nativeData = TransferSyntax.of(ts).isNative();
        String partType = stored + "; transfer-syntax=" + (nativeData ? EXPLICIT_LE : ts);
        String boundary = MultipartWriter.newBoundary();
        String base = Urls.instance(x.baseUrl(), i.studyUid(), i.seriesUid(), i.record().sopUid());
        try (FrameReader reader = new FrameReader(() -> retrieve.open(i), geometry)) {
            OutputStream out = x.open("multipart/related; type=\"" + stored + "\"; boundary=" + boundary, false);
            try (MultipartWriter mp = new MultipartWriter(out, boundary)) {
                for (int f : frames) {
                    reader.copy(f, mp.part(partType, base + "/frames/" + f));
                }
            }
        }
    }

    /** 406 unless some acceptable range takes the stored media type as it is. */
    static void negotiate(List<MediaType> accept, String stored, String ts) {
        if (accept.isEmpty()) {
            return;
        }
        boolean nativeData = TransferSyntax.of(ts).isNative();
        for (MediaType m : accept) {
            if (!m.admits("multipart/related")) {
                continue;
            }
            String type = m.param("type");
            String wantTs = m.param("transfer-syntax");
            boolean typeOk = type == null || MediaType.parse(type).admits(stored);
            boolean tsOk = wantTs == null || wantTs.equals("*") || wantTs.equals(ts)
                    || (nativeData && wantTs.equals(EXPLICIT_LE));
            if ((typeOk && tsOk) || "*".equals(wantTs)) {
                return;
            }
        }
        throw HttpError.notAcceptable("the frames are stored as " + stored + " (transfer syntax " + ts
                + "); converting them is not available: accept that type or transfer-syntax=*");
    }

    static List<Integer> parseFrames(String list) {
        List<Integer> out = new ArrayList<>();
        for (String s : list.split(",")) {
            try {
                int f = Integer.parseInt(s.strip());
                if (f < 1) {
                    throw new NumberFormatException();
                }
                out.add(f);
            } catch (NumberFormatException e) {
                throw HttpError.badRequest("frame numbers are positive integers separated by commas, not '" + list + "'");
            }
        }
        return out;
    }
}

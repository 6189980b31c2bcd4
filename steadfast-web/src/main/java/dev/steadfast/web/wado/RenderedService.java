package dev.steadfast.web.wado;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.web.http.Exchange;
import dev.steadfast.web.http.HttpError;
import dev.steadfast.web.http.MediaType;
import dev.steadfast.web.imaging.Imaging;
import dev.steadfast.web.imaging.RenderRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * WADO-RS rendered and thumbnail resources (PS3.18 10.4.1.1.4, 10.4.1.1.5) through the imaging
 * hook. A study or series is represented by its middle instance; a frame list by its first frame.
 */
public final class RenderedService {
    private static final int THUMBNAIL_SIZE = 128;

    private final WadoService wado;
    private final RetrieveEngine retrieve;
    private final Imaging imaging;

    public RenderedService(WadoService wado, RetrieveEngine retrieve, Imaging imaging) {
        this.wado = wado;
        this.retrieve = retrieve;
        this.imaging = imaging;
    }

    public void rendered(Exchange x) throws IOException {
        render(x, false);
    }

    public void thumbnail(Exchange x) throws IOException {
        render(x, true);
    }

    private void render(Exchange x, boolean thumbnail) throws IOException {
        String type = mediaType(x.accept(), imaging);
        List<StoredInstance> found = wado.locate(x);
        StoredInstance i = found.get(found.size() / 2);
        String frames = x.pathParamOrNull("frames");
        int frame = frames == null ? 1 : FrameService.parseFrames(frames).getFirst();
        RenderRequest r = parameters(x, frame, type, thumbnail);
        OutputStream out = x.open(type, false);
        try (InputStream in = retrieve.open(i)) {
            imaging.render(in, r, out);
        }
    }

    static String mediaType(List<MediaType> accept, Imaging imaging) {
        List<String> offered = java.util.stream.Stream.of("image/jpeg", "image/png", "image/gif")
                .filter(imaging::canRender).toList();
        if (offered.isEmpty()) {
            throw HttpError.notAcceptable("rendering is not available on this server yet");
        }
        return dev.steadfast.web.http.Negotiation.choose(accept, offered.toArray(String[]::new));
    }

    /** The window, viewport and quality parameters of PS3.18 8.3.5.1. */
    static RenderRequest parameters(Exchange x, int frame, String type, boolean thumbnail) {
        Double center = null;
        Double width = null;
        String window = x.queryParam("window");
        if (window != null) {
            String[] w = window.split(",");
            try {
                center = Double.parseDouble(w[0].strip());
                width = Double.parseDouble(w[1].strip());
            } catch (RuntimeException e) {
                throw HttpError.badRequest("window is center,width[,function], not '" + window + "'");
            }
            if (width <= 0) {
                throw HttpError.badRequest("window width must be positive");
            }
        }
        int vw = thumbnail ? THUMBNAIL_SIZE : 0;
        int vh = thumbnail ? THUMBNAIL_SIZE : 0;
        String viewport = x.queryParam("viewport");
        if (viewport != null) {
            String[] v = viewport.split(",");
            try {
                vw = Integer.parseInt(v[0].strip());
                vh = Integer.parseInt(v[1].strip());
            } catch (RuntimeException e) {
                throw HttpError.badRequest("viewport is width,height, not '" + viewport + "'");
            }
            if (vw < 1 || vh < 1 || vw > 16384 || vh > 16384) {
                throw HttpError.badRequest("viewport must be 1..16384 pixels each way");
            }
        }
        int quality = 0;
        String q = x.queryParam("quality");
        if (q != null) {
            try {
                quality = Integer.parseInt(q.strip());
            } catch (NumberFormatException e) {
                quality = -1;
            }
            if (quality < 1 || quality > 100) {
                throw HttpError.badRequest("quality is 1..100");
            }
        }
        return new RenderRequest(frame, type, center, width, vw, vh, quality);
    }
}

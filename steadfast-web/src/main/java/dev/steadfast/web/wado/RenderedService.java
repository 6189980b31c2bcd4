package dev.steadfast.web.wado;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.dicom.Tag;
import dev.steadfast.web.http.Exchange;
import dev.steadfast.web.http.HttpError;
import dev.steadfast.web.http.MediaType;
import dev.steadfast.web.imaging.Imaging;
import dev.steadfast.web.imaging.RenderRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * WADO-RS rendered and thumbnail resources (PS3.18 10.4.1.1.4, 10.4.1.1.5) through the imaging
 * hook. Rendered studies, series and frame lists are multipart/related, one image per instance
 * (its first frame) or per frame, when the client accepts multipart; otherwise, and for thumbnails,
 * the middle instance and the first frame listed stand for the whole.
 */
public final class RenderedService {
    private static final int THUMBNAIL_SIZE = 128;
    /** Part of every ETag: change it when the rendering of the same request changes (window, scaling, encoder). */
    static final String RENDER_VERSION = "4"; // 3: viewports bounded by ImagingLimits; 4: grey JPEG by GreyJpegEncoder (same pixels, other bytes)
    /**
     * Stored instances do not change, so a browser may keep a rendered image; private keeps
     * patient images out of shared caches, and an hour bounds how long a deleted instance can
     * still show without asking (after that the ETag makes the check a 304).
     */
    static final String CACHE_CONTROL = "private, max-age=3600";

    private final WadoService wado;
    private final RetrieveEngine retrieve;
    private final Imaging imaging;

    public RenderedService(WadoService wado, RetrieveEngine retrieve, Imaging imaging) {
        this.wado = wado;
        this.retrieve = retrieve;
        this.imaging = imaging;
    }

    /** Heap for the objects being rendered at once (one per server: one route table). */
    private final WholeObject.Budget budget = WholeObject.Budget.ofHeap();

    public void rendered(Exchange x) throws IOException {
        render(x, false);
    }

    public void thumbnail(Exchange x) throws IOException {
        render(x, true);
    }

    private void render(Exchange x, boolean thumbnail) throws IOException {
        Chosen chosen = mediaType(x.accept(), imaging);
        List<StoredInstance> found = wado.locate(x);
        String frames = x.pathParamOrNull("frames");
        List<Integer> frameList = frames == null ? List.of(1) : FrameService.parseFrames(frames);
        RenderRequest r = parameters(x, frameList.getFirst(), chosen.type(), thumbnail, imaging.limits().maxRenderSize());
        boolean several = !thumbnail && (frameList.size() > 1 || found.size() > 1);
        if (!several || !chosen.multipart()) {
            // One image: a thumbnail, an instance, or (without multipart in Accept) the middle instance.
            StoredInstance i = found.get(found.size() / 2);
            String etag = etag(i, r, thumbnail);
            if (etag != null && matches(x.headers("If-None-Match"), etag)) {
                cacheHeaders(x, etag);
                x.notModified();
                return;
            }
            byte[] image = renderOne(i, r, true);
            if (etag != null) {
                cacheHeaders(x, etag); // only on a 200: an error must not be kept for an hour
            }
            x.open(chosen.type(), false).write(image);
            return;
        }
        // Each image is rendered whole before its part; the 200 waits for the first one.
        LazyMultipart mp = new LazyMultipart(x, chosen.type());
        for (StoredInstance i : found) {
            String base = Urls.instance(x.baseUrl(), i.studyUid(), i.seriesUid(), i.record().sopUid());
            for (int f : frameList) {
                byte[] image = renderOne(i, r.withFrame(f), found.size() == 1);
                if (image != null) {
                    String location = frames == null ? base + "/rendered" : base + "/frames/" + f + "/rendered";
                    mp.part(chosen.type(), location).write(image);
                }
            }
        }
        mp.finish();
    }

    /**
     * A strong validator of one rendered image: what was stored (its SHA-256, so a replaced object
     * gets a new tag), everything of the request that changes the image, and the renderer's
     * version. Null when the index has no checksum for the object.
     */
    static String etag(StoredInstance i, RenderRequest r, boolean thumbnail) {
        String stored = i.record().sha256();
        if (stored == null || stored.isEmpty()) {
            return null;
        }
        String key = String.join("|", RENDER_VERSION, stored, String.valueOf(thumbnail), String.valueOf(r.frame()),
                r.mediaType(), String.valueOf(r.windowCenter()), String.valueOf(r.windowWidth()),
                String.valueOf(r.windowFunction()), String.valueOf(r.viewportWidth()), String.valueOf(r.viewportHeight()),
                String.valueOf(r.quality()));
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "\"" + java.util.HexFormat.of().formatHex(h, 0, 16) + "\"";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    private static void cacheHeaders(Exchange x, String etag) {
        x.setHeader("ETag", etag);
        x.setHeader("Cache-Control", CACHE_CONTROL);
        x.addHeader("Vary", "Accept");
    }

    /**
     * If-None-Match: a list of entity tags, compared weakly (RFC 9110 13.1.2). "*" is not taken
     * as a match: whether the frame exists is known only after reading the object, and a 304 for
     * a frame that does not exist would be wrong.
     */
    static boolean matches(List<String> ifNoneMatch, String etag) {
        for (String header : ifNoneMatch) {
            for (String tag : header.split(",")) {
                String t = tag.strip();
                if (t.startsWith("W/")) {
                    t = t.substring(2);
                }
                if (t.equals(etag)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The encoded image, rendered whole before anything is sent so errors keep their status; null for a non-image when skipping. */
    private byte[] renderOne(StoredInstance i, RenderRequest r, boolean failIfNotImage) throws IOException {
        // A header with Rows but no Pixel Data (issue 16) is no more an image than an SR.
        if (retrieve.metadata(i).getInt(Tag.Rows, 0) == 0 || !PixelDataPresence.of(i, retrieve)) {
            if (failIfNotImage) {
                throw HttpError.notAcceptable("the instance is not an image and cannot be rendered as " + r.mediaType());
            }
            return null;
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (WholeObject object = WholeObject.read(retrieve, i, budget)) {
            if (object.bytes() != null) {
                imaging.render(object.bytes(), r, buf);
            } else {
                try (InputStream in = retrieve.open(i)) {
                    imaging.render(in, r, buf);
                }
            }
        }
        return buf.toByteArray();
    }

    /** The image media type, and whether the client takes it wrapped in multipart/related. */
    record Chosen(String type, boolean multipart) {}

    static Chosen mediaType(List<MediaType> accept, Imaging imaging) {
        List<String> offered = java.util.stream.Stream.of("image/jpeg", "image/png", "image/gif")
                .filter(imaging::canRender).toList();
        if (offered.isEmpty()) {
            throw HttpError.notAcceptable("rendering is not available on this server");
        }
        if (accept.isEmpty()) {
            return new Chosen(offered.getFirst(), false);
        }
        for (MediaType range : accept) {
            boolean multipart = range.essence().equals("multipart/related");
            MediaType t = multipart && range.param("type") != null ? MediaType.parse(range.param("type")) : range;
            for (String o : offered) {
                if (t.admits(o)) {
                    return new Chosen(o, multipart);
                }
            }
        }
        throw HttpError.notAcceptable("rendered images are available as " + String.join(", ", offered));
    }

    /**
     * The window, viewport and quality parameters of PS3.18 8.3.5.1. A viewport wider or taller
     * than {@code maxSize} is refused (400) rather than rendered: the image itself is never
     * enlarged beyond {@link dev.steadfast.web.imaging.ImagingLimits#maxUpscale} anyway.
     */
    static RenderRequest parameters(Exchange x, int frame, String type, boolean thumbnail, int maxSize) {
        Double center = null;
        Double width = null;
        String function = null;
        String window = x.queryParam("window");
        if (window != null) {
            String[] w = window.split(",");
            try {
                center = Double.parseDouble(w[0].strip());
                width = Double.parseDouble(w[1].strip());
            } catch (RuntimeException e) {
                throw HttpError.badRequest("window is center,width[,function], not '" + window + "'");
            }
            if (!Double.isFinite(center) || !Double.isFinite(width)) { // Java reads "NaN" and "Infinity" as numbers
                throw HttpError.badRequest("window center and width are finite numbers, not '" + window + "'");
            }
            if (width <= 0) {
                throw HttpError.badRequest("window width must be positive");
            }
            if (w.length > 2) {
                function = w[2].strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
                if (!List.of("LINEAR", "LINEAR_EXACT", "SIGMOID").contains(function)) {
                    throw HttpError.badRequest("window function is linear, linear-exact or sigmoid, not '" + w[2] + "'");
                }
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
            if (vw < 1 || vh < 1 || vw > maxSize || vh > maxSize) {
                throw HttpError.badRequest("viewport must be 1.." + maxSize + " pixels each way");
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
        return new RenderRequest(frame, type, center, width, function, vw, vh, quality);
    }
}

package dev.steadfast.web.wadouri;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.archive.retrieve.RetrieveRequest;
import dev.steadfast.web.http.Exchange;
import dev.steadfast.web.http.HttpError;
import dev.steadfast.web.imaging.Imaging;
import dev.steadfast.web.imaging.RenderRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * WADO-URI (PS3.18 9): {@code ?requestType=WADO&studyUID=..&seriesUID=..&objectUID=..}, the
 * stored object as application/dicom or, through the imaging hook, an image (the default for
 * images, as the standard says).
 */
public final class WadoUriService {
    private final RetrieveEngine retrieve;
    private final Imaging imaging;

    public WadoUriService(RetrieveEngine retrieve, Imaging imaging) {
        this.retrieve = retrieve;
        this.imaging = imaging;
    }

    public void get(Exchange x) throws IOException {
        if (!"WADO".equals(x.queryParam("requestType"))) {
            throw HttpError.badRequest("requestType=WADO is required");
        }
        String study = required(x, "studyUID");
        String series = required(x, "seriesUID");
        String object = required(x, "objectUID");
        String anonymize = x.queryParam("anonymize");
        if (anonymize != null && anonymize.strip().equalsIgnoreCase("yes")) {
            // PS3.18 9.4.1.2.1 lets a server that cannot de-identify answer an error; answering the object
            // as stored would hand patient data to a client that asked for none.
            throw HttpError.badRequest("anonymize=yes is not supported: this archive does not de-identify objects");
        }
        String contentType = firstContentType(x.queryParam("contentType"));
        List<StoredInstance> found = retrieve.locate(RetrieveRequest.instance(study, series, object));
        if (found.isEmpty()) {
            throw HttpError.notFound("no such object");
        }
        StoredInstance i = found.getFirst();
        if (contentType.equals("application/dicom")) {
            String ts = x.queryParam("transferSyntax");
            String stored = i.record().transferSyntax();
            boolean keep = ts == null || ts.equals(stored);
            if (!keep && !imaging.canTranscode(stored, ts)) {
                throw HttpError.notAcceptable("the object is stored in " + stored + "; transcoding to " + ts
                        + " is not available");
            }
            OutputStream out = x.open("application/dicom", false);
            try (InputStream in = retrieve.open(i)) {
                if (keep) {
                    in.transferTo(out);
                } else {
                    imaging.transcode(in, ts, out);
                }
            }
            return;
        }
        if (!imaging.canRender(contentType)) {
            throw HttpError.notAcceptable(contentType + " is not available on this server yet; ask for"
                    + " contentType=application/dicom");
        }
        int frame = parseFrame(x.queryParam("frameNumber"));
        Double center = number(x, "windowCenter");
        Double width = number(x, "windowWidth");
        int rows = (int) orZero(number(x, "rows"));
        int cols = (int) orZero(number(x, "columns"));
        int quality = (int) orZero(number(x, "imageQuality"));
        if ((center == null) != (width == null) || (width != null && width <= 0)) {
            throw HttpError.badRequest("windowCenter and windowWidth go together, and the width is positive");
        }
        int max = imaging.limits().maxRenderSize();
        if (rows < 0 || cols < 0 || rows > max || cols > max || quality < 0 || quality > 100) {
            throw HttpError.badRequest("rows and columns are 1.." + max + ", imageQuality 1..100");
        }
        if (retrieve.metadata(i).getInt(dev.steadfast.dicom.Tag.Rows, 0) == 0) {
            throw HttpError.notAcceptable("the object is not an image; ask for contentType=application/dicom");
        }
        // Rendered whole before anything is sent, so a failure keeps its status.
        java.io.ByteArrayOutputStream image = new java.io.ByteArrayOutputStream();
        try (InputStream in = retrieve.open(i)) {
            imaging.render(in, new RenderRequest(frame, contentType, center, width, cols, rows, quality), image);
        }
        image.writeTo(x.open(contentType, false));
    }

    /** contentType may list several, best first; the first we can produce wins. Default image/jpeg. */
    private String firstContentType(String param) {
        if (param == null || param.isBlank()) {
            return "image/jpeg";
        }
        String[] types = param.split(",");
        if (types.length == 0 || types[0].isBlank()) { // "," or ",image/png": a list must name a type first
            throw HttpError.badRequest("contentType is a list of media types, not '" + param + "'");
        }
        for (String t : types) {
            String type = t.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT);
            if (type.equals("application/dicom") || imaging.canRender(type)) {
                return type;
            }
        }
        return types[0].split(";")[0].strip().toLowerCase(java.util.Locale.ROOT);
    }

    private static String required(Exchange x, String name) {
        String v = x.queryParam(name);
        if (v == null || v.isBlank()) {
            throw HttpError.badRequest(name + " is required");
        }
        return v.strip();
    }

    private static int parseFrame(String s) {
        if (s == null) {
            return 1;
        }
        try {
            int f = Integer.parseInt(s.strip());
            if (f >= 1) {
                return f;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw HttpError.badRequest("frameNumber must be a positive integer");
    }

    private static Double number(Exchange x, String name) {
        String v = x.queryParam(name);
        if (v == null) {
            return null;
        }
        double d;
        try {
            d = Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw HttpError.badRequest(name + " must be a number");
        }
        if (!Double.isFinite(d)) { // Java reads "NaN" and "Infinity" as numbers; no window or size is either
            throw HttpError.badRequest(name + " must be a finite number");
        }
        return d;
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }
}

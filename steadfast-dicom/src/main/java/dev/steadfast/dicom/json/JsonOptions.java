package dev.steadfast.dicom.json;

import java.util.Objects;

/**
 * How the JSON and XML writers treat binary values (OB, OD, OF, OL, OV, OW, UN).
 *
 * @param inlineBinaryLimit values of at most this many bytes are written inline (base64);
 *                          longer ones, encapsulated pixel data and values left on disk become
 *                          a BulkDataURI; -1 writes every in-memory value inline
 * @param uris              names the BulkDataURI of values not written inline
 * @param pretty            indent the output for people to read
 */
public record JsonOptions(long inlineBinaryLimit, BulkDataUris uris, boolean pretty) {

    /** 1024 bytes inline, {@link BulkDataUris#DEFAULT}, compact. */
    public static final JsonOptions DEFAULT = new JsonOptions(1024, BulkDataUris.DEFAULT, false);

    public JsonOptions {
        Objects.requireNonNull(uris, "uris");
        if (inlineBinaryLimit < -1) {
            throw new IllegalArgumentException("inlineBinaryLimit must be >= -1");
        }
    }

    public JsonOptions withInlineBinaryLimit(long limit) { return new JsonOptions(limit, uris, pretty); }

    public JsonOptions withUris(BulkDataUris u) { return new JsonOptions(inlineBinaryLimit, u, pretty); }

    public JsonOptions withPretty(boolean p) { return new JsonOptions(inlineBinaryLimit, uris, p); }

    /** Whether a binary value of this many bytes is written inline. */
    public boolean inlines(long length) {
        return inlineBinaryLimit < 0 || length <= inlineBinaryLimit;
    }
}

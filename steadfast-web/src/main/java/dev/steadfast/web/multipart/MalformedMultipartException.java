package dev.steadfast.web.multipart;

import java.io.IOException;

/** The body is not the multipart/related it claims to be (bad boundary, cut short, bad headers). */
public final class MalformedMultipartException extends IOException {
    public MalformedMultipartException(String message) {
        super(message);
    }
}

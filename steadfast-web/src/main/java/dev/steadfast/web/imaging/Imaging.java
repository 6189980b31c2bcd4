package dev.steadfast.web.imaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The pixel-data work DICOMweb needs but does not do itself: transcoding and rendering. The
 * imaging module plugs in here; until it does, {@link #NONE} makes such requests 406.
 */
public interface Imaging {

    /** Whether a Part 10 object in {@code from} can be rewritten in {@code to}. */
    boolean canTranscode(String fromTransferSyntax, String toTransferSyntax);

    /** Writes the Part 10 object {@code part10} re-encoded in {@code toTransferSyntax}. */
    void transcode(InputStream part10, String toTransferSyntax, OutputStream out) throws IOException;

    /** Whether {@link #render} can produce this media type (image/jpeg, image/png, ...). */
    boolean canRender(String mediaType);

    /** Renders one frame of a Part 10 object to an image. */
    void render(InputStream part10, RenderRequest request, OutputStream out) throws IOException;

    /** No imaging: nothing to transcode or render. */
    Imaging NONE = new Imaging() {
        @Override
        public boolean canTranscode(String from, String to) { return false; }

        @Override
        public void transcode(InputStream part10, String to, OutputStream out) {
            throw new UnsupportedOperationException("no transcoder");
        }

        @Override
        public boolean canRender(String mediaType) { return false; }

        @Override
        public void render(InputStream part10, RenderRequest request, OutputStream out) {
            throw new UnsupportedOperationException("no renderer");
        }
    };
}

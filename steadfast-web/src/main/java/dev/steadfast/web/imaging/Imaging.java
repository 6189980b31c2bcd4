package dev.steadfast.web.imaging;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.web.http.HttpError;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The pixel-data work DICOMweb needs but does not do itself: transcoding, frame conversion and
 * rendering. {@link StandardImaging} (the imaging module) is the one implementation; serve, the
 * web tests and the benchmarks all get it from {@code ArchiveServices}. {@link #NONE} answers every
 * such request with 406 (for resources that never hold pixel data).
 *
 * <p>Lossy output: callers pass a lossy target syntax only when the client named it; a default
 * the web layer picks is always lossless (PS3.18 Table 8.7.3-5 defaults).
 */
public interface Imaging extends AutoCloseable {

    /** Whether a Part 10 object in {@code from} can be rewritten in {@code to}. */
    boolean canTranscode(String fromTransferSyntax, String toTransferSyntax);

    /** Writes the Part 10 object {@code part10} re-encoded in {@code toTransferSyntax}. */
    void transcode(InputStream part10, String toTransferSyntax, OutputStream out) throws IOException;

    /** Whether {@link #render} can produce this media type (image/jpeg, image/png, ...). */
    boolean canRender(String mediaType);

    /** Renders one frame of a Part 10 object to an image. */
    void render(InputStream part10, RenderRequest request, OutputStream out) throws IOException;

    /** As {@link #render(InputStream, RenderRequest, OutputStream)}, from the whole object already in memory (and checked). */
    default void render(byte[] part10, RenderRequest request, OutputStream out) throws IOException {
        render(new java.io.ByteArrayInputStream(part10), request, out);
    }

    /**
     * Whether the image the stored metadata describes (Rows, Bits Stored, Photometric
     * Interpretation, ...) can go from {@code from} to {@code to}: decoder and encoder exist
     * and the encoder takes this kind of image. Decided before a response is committed.
     */
    default boolean canTranscode(Dataset metadata, String fromTransferSyntax, String toTransferSyntax) {
        return canTranscode(fromTransferSyntax, toTransferSyntax);
    }

    /** Whether writing in this syntax discards information. */
    default boolean isLossy(String transferSyntax) { return false; }

    /**
     * Writes frames (1-based) of a Part 10 object re-encoded in {@code toTransferSyntax}: decoded
     * little-endian bytes for a native syntax, one compressed bitstream per frame otherwise.
     */
    void frames(InputStream part10, String toTransferSyntax, List<Integer> frames, FrameSink sink) throws IOException;

    /** The size and concurrency bounds this hook enforces. */
    default ImagingLimits limits() { return ImagingLimits.DEFAULT; }

    /**
     * Starts rendering synthetic images in the background so the JIT compiles the rendering path
     * before the first viewer asks (issue 19); the future tells what it did. Without one: done at once.
     */
    default java.util.concurrent.CompletableFuture<WarmUpResult> warmUp() {
        return java.util.concurrent.CompletableFuture.completedFuture(WarmUpResult.off());
    }

    /** Stops the threads the hook owns; called when the DICOMweb server stops. */
    @Override
    default void close() {}

    /** Receives converted frames in the order asked for. */
    @FunctionalInterface
    interface FrameSink {
        void frame(int number, byte[] data) throws IOException;
    }

    /** No imaging: nothing to transcode or render. */
    Imaging NONE = new Imaging() {
        @Override
        public boolean canTranscode(String from, String to) { return false; }

        @Override
        public void transcode(InputStream part10, String to, OutputStream out) {
            throw HttpError.notAcceptable("this resource cannot be transcoded");
        }

        @Override
        public void frames(InputStream part10, String to, List<Integer> frames, FrameSink sink) {
            throw HttpError.notAcceptable("this resource has no frames to convert");
        }

        @Override
        public boolean canRender(String mediaType) { return false; }

        @Override
        public void render(InputStream part10, RenderRequest request, OutputStream out) {
            throw HttpError.notAcceptable("this resource cannot be rendered");
        }
    };
}

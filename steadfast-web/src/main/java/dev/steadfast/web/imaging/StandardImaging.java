package dev.steadfast.web.imaging;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.TransferSyntax;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.ReadOptions;
import dev.steadfast.imaging.ImageDescriptor;
import dev.steadfast.imaging.PixelData;
import dev.steadfast.imaging.PixelDataException;
import dev.steadfast.imaging.TranscodeOptions;
import dev.steadfast.imaging.Transcoder;
import dev.steadfast.imaging.UnsupportedTransferSyntaxException;
import dev.steadfast.imaging.codec.CodecRegistry;
import dev.steadfast.imaging.codec.Codecs;
import dev.steadfast.imaging.codec.EncodeOptions;
import dev.steadfast.imaging.codec.FrameCodec;
import dev.steadfast.imaging.render.ImageEncoders;
import dev.steadfast.imaging.render.RenderOptions;
import dev.steadfast.imaging.render.Renderer;
import dev.steadfast.imaging.render.WindowFunction;
import dev.steadfast.web.http.HttpError;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The imaging hook on steadfast-imaging: its codecs transcode and convert frames, its renderer
 * draws rendered and thumbnail images. Each call reads one instance into memory (pixel data
 * included), so memory per request is one instance plus its output; plain retrieval never
 * comes here and streams. Reading and writing happen on the caller's thread; decoding, encoding
 * and rendering on a bounded {@link ComputePool}, so they never hold every carrier thread.
 *
 * <p>Imaging failures become HTTP errors here: a syntax that cannot be written (or a lossy one
 * when the image's encoder refuses) is 406; pixel data that cannot be decoded is 500 with the
 * reason.
 */
public final class StandardImaging implements Imaging {
    /** JPEG quality and JPEG 2000 ratio when a client asks for a lossy syntax without saying how much. */
    public static final EncodeOptions LOSSY_DEFAULT = EncodeOptions.DEFAULT;
    static final int RENDER_QUALITY = 90;
    private static final Set<String> NATIVE_TARGETS = Set.of(UID.ExplicitVRLittleEndian,
            UID.ImplicitVRLittleEndian, UID.DeflatedExplicitVRLittleEndian);

    private final CodecRegistry codecs;
    private final Transcoder transcoder;
    private final ImagingLimits limits;
    private final ComputePool pool;
    /** Real transcode, frame and render calls so far: the warm-up stops at the first. */
    private final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();
    private volatile RenderWarmUp warmUp;

    public StandardImaging(ImagingLimits limits) {
        this.codecs = Codecs.standard();
        this.transcoder = new Transcoder(codecs);
        this.limits = limits;
        this.pool = new ComputePool(limits.threads(), limits.queue());
    }

    @Override
    public ImagingLimits limits() { return limits; }

    @Override
    public void close() {
        RenderWarmUp w = warmUp;
        if (w != null) {
            w.close();
        }
        pool.close();
    }

    /** Renders synthetic images on the pool until the first real request (issue 19, {@link RenderWarmUp}); once. */
    @Override
    public synchronized java.util.concurrent.CompletableFuture<WarmUpResult> warmUp() {
        if (warmUp != null) {
            throw new IllegalStateException("the render warm-up runs once");
        }
        warmUp = new RenderWarmUp((part10, r) -> {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            render(DicomReader.read(part10, ReadOptions.DEFAULT), r, buf);
            return buf.toByteArray();
        }, calls::get, Integer.getInteger(RenderWarmUp.ROUNDS_PROPERTY, RenderWarmUp.ROUNDS));
        return warmUp.start();
    }

    @Override
    public boolean canTranscode(String from, String to) {
        return from.equals(to) || (decodable(from) && encodable(to));
    }

    @Override
    public boolean canTranscode(Dataset meta, String from, String to) {
        if (from.equals(to)) {
            return true;
        }
        if (!canTranscode(from, to)) {
            return false;
        }
        if (meta.getInt(Tag.Rows, 0) == 0 || TransferSyntax.of(to).isNative()) {
            return true;
        }
        try {
            return codecs.get(to).canEncode(decodedDescriptor(ImageDescriptor.of(meta), from));
        } catch (PixelDataException | UnsupportedTransferSyntaxException e) {
            return false;
        }
    }

    @Override
    public boolean isLossy(String ts) {
        return codecs.supports(ts) && codecs.get(ts).lossy();
    }

    @Override
    public void transcode(InputStream part10, String to, OutputStream out) throws IOException {
        calls.incrementAndGet();
        DicomFile f = read(part10);
        byte[] written = pool.call(() -> {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try {
                transcoder.writeFile(buf, f.dataset(), f.transferSyntaxUid(), to, options(to));
            } catch (RuntimeException e) {
                throw translate(e);
            }
            return buf.toByteArray();
        });
        out.write(written);
    }

    /**
     * Native to native keeps the stored layout (planar configuration, 4:2:2 samples), only made
     * little endian: the client reads the frame with the stored metadata. Otherwise frames are
     * decoded and, for an encapsulated target, re-encoded.
     */
    @Override
    public void frames(InputStream part10, String to, List<Integer> frames, FrameSink sink) throws IOException {
        calls.incrementAndGet();
        DicomFile f = read(part10);
        try {
            PixelData px = PixelData.of(f.dataset(), f.transferSyntaxUid(), codecs);
            ImageDescriptor decoded = px.decodedDescriptor();
            boolean asStored = to.equals(f.transferSyntaxUid()) && px.isEncapsulated();
            boolean nativeToNative = !px.isEncapsulated() && TransferSyntax.of(to).isNative();
            FrameCodec encoder = TransferSyntax.of(to).isNative() || asStored ? null : codecs.get(to);
            if (encoder != null && !encoder.canEncode(decoded)) {
                throw new UnsupportedTransferSyntaxException(to, "cannot encode " + decoded.bitsStored() + "-bit "
                        + decoded.photometric() + " frames as " + to);
            }
            for (int n : frames) {
                if (n > px.frameCount()) {
                    throw HttpError.notFound("frame " + n + " does not exist: the instance has " + px.frameCount());
                }
            }
            for (int n : frames) {
                byte[] out = pool.call(() -> {
                    try {
                        if (asStored || nativeToNative) {
                            return px.storedFrame(n - 1);
                        }
                        byte[] raw = px.decodedFrame(n - 1);
                        return encoder == null ? Arrays.copyOf(raw, decoded.frameLength())
                                : encoder.encode(raw, decoded, options(to).encode());
                    } catch (RuntimeException e) {
                        throw translate(e);
                    }
                });
                sink.frame(n, out);
            }
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public boolean canRender(String mediaType) {
        return mediaType.equals("image/jpeg") || mediaType.equals("image/png");
    }

    /** Rendered at the size {@link ImagingLimits#outputSize} allows, whatever the viewport asks. */
    @Override
    public void render(InputStream part10, RenderRequest r, OutputStream out) throws IOException {
        calls.incrementAndGet();
        render(read(part10), r, out);
    }

    /** From memory: the reader knows where the object ends, so each value is copied out once (issue 19). */
    @Override
    public void render(byte[] part10, RenderRequest r, OutputStream out) throws IOException {
        calls.incrementAndGet();
        render(DicomReader.read(part10, ReadOptions.DEFAULT), r, out);
    }

    private void render(DicomFile f, RenderRequest r, OutputStream out) throws IOException {
        byte[] image = pool.call(() -> {
            try {
                PixelData px = PixelData.of(f.dataset(), f.transferSyntaxUid(), codecs);
                if (r.frame() > px.frameCount()) {
                    throw HttpError.notFound("frame " + r.frame() + " does not exist: the instance has " + px.frameCount());
                }
                ImageDescriptor d = px.descriptor();
                int[] size = limits.outputSize(d.columns(), d.rows(), r.viewportWidth(), r.viewportHeight());
                RenderOptions o = RenderOptions.DEFAULT.withViewport(size[0], size[1]);
                if (r.windowCenter() != null) {
                    o = o.withWindow(r.windowCenter(), r.windowWidth());
                }
                if (r.windowFunction() != null) {
                    o = o.withFunction(WindowFunction.of(r.windowFunction()));
                }
                BufferedImage img = Renderer.render(f.dataset(), f.transferSyntaxUid(), r.frame() - 1, o);
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                ImageEncoders.write(img, r.mediaType(), r.quality() > 0 ? r.quality() : RENDER_QUALITY, buf);
                return buf.toByteArray();
            } catch (RuntimeException e) {
                throw translate(e);
            }
        });
        out.write(image);
    }

    private ImageDescriptor decodedDescriptor(ImageDescriptor stored, String from) {
        if (TransferSyntax.of(from).isNative()) {
            ImageDescriptor d = stored.withPlanarConfiguration(0);
            return d.isSubsampled() ? d.withPhotometric("YBR_FULL") : d;
        }
        return codecs.get(from).decodedDescriptor(stored);
    }

    private boolean decodable(String ts) {
        return TransferSyntax.of(ts).isNative() || codecs.supports(ts);
    }

    private boolean encodable(String ts) {
        return NATIVE_TARGETS.contains(ts) || (TransferSyntax.of(ts).encapsulated() && codecs.supports(ts));
    }

    /** Lossy only for a lossy target, which callers pass only when the client named it. */
    private TranscodeOptions options(String to) {
        return isLossy(to) ? new TranscodeOptions(true, LOSSY_DEFAULT) : TranscodeOptions.LOSSLESS_ONLY;
    }

    private static DicomFile read(InputStream part10) throws IOException {
        return DicomReader.read(part10, ReadOptions.DEFAULT);
    }

    private static RuntimeException translate(RuntimeException e) {
        return switch (e) {
            case HttpError h -> h;
            case UnsupportedTransferSyntaxException u -> HttpError.notAcceptable(u.getMessage());
            case PixelDataException p -> new HttpError(500, "cannot process the pixel data: " + p.getMessage(), p);
            default -> e;
        };
    }
}

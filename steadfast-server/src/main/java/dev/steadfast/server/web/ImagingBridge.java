package dev.steadfast.server.web;

import dev.steadfast.dicom.TransferSyntax;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.ReadOptions;
import dev.steadfast.imaging.TranscodeOptions;
import dev.steadfast.imaging.Transcoder;
import dev.steadfast.imaging.codec.CodecRegistry;
import dev.steadfast.imaging.codec.Codecs;
import dev.steadfast.imaging.render.ImageEncoders;
import dev.steadfast.imaging.render.RenderOptions;
import dev.steadfast.imaging.render.Renderer;
import dev.steadfast.web.imaging.Imaging;
import dev.steadfast.web.imaging.RenderRequest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Plugs the imaging module into DICOMweb (transcoding and rendered images). Lossless only: a
 * lossy target syntax is refused rather than done silently. Here, in the server, because web and
 * imaging are siblings that do not know each other.
 */
public final class ImagingBridge implements Imaging {
    private static final int DEFAULT_JPEG_QUALITY = 90;

    private final CodecRegistry codecs = Codecs.standard();
    private final Transcoder transcoder = new Transcoder(codecs);

    @Override
    public boolean canTranscode(String from, String to) {
        return decodable(from) && encodable(to);
    }

    private boolean decodable(String ts) {
        return ts != null && (TransferSyntax.of(ts).isNative() || codecs.supports(ts.strip()));
    }

    private boolean encodable(String ts) {
        if (ts == null) {
            return false;
        }
        String t = ts.strip();
        return TransferSyntax.of(t).isNative() || (codecs.supports(t) && !codecs.get(t).lossy());
    }

    @Override
    public void transcode(InputStream part10, String to, OutputStream out) throws IOException {
        DicomFile f = DicomReader.read(part10, ReadOptions.DEFAULT);
        transcoder.writeFile(out, f.dataset(), f.transferSyntaxUid(), to, TranscodeOptions.LOSSLESS_ONLY);
    }

    @Override
    public boolean canRender(String mediaType) {
        return "image/jpeg".equals(mediaType) || "image/png".equals(mediaType);
    }

    @Override
    public void render(InputStream part10, RenderRequest rq, OutputStream out) throws IOException {
        DicomFile f = DicomReader.read(part10, ReadOptions.DEFAULT);
        RenderOptions o = RenderOptions.DEFAULT.withViewport(rq.viewportWidth(), rq.viewportHeight());
        if (rq.windowCenter() != null && rq.windowWidth() != null) {
            o = o.withWindow(rq.windowCenter(), rq.windowWidth());
        }
        BufferedImage img = Renderer.render(f.dataset(), f.transferSyntaxUid(), Math.max(0, rq.frame() - 1), o);
        ImageEncoders.write(img, rq.mediaType(), rq.quality() > 0 ? rq.quality() : DEFAULT_JPEG_QUALITY, out);
    }
}

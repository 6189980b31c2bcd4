package dev.steadfast.server.web;

import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.dicom.io.ReadOptions;
import dev.steadfast.imaging.render.ImageEncoders;
import dev.steadfast.server.imaging.LosslessTranscoding;
import dev.steadfast.imaging.render.RenderOptions;
import dev.steadfast.imaging.render.Renderer;
import dev.steadfast.web.imaging.Imaging;
import dev.steadfast.web.imaging.RenderRequest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Plugs the imaging module into DICOMweb (lossless transcoding and rendered images). Here, in the server, because web and
 * imaging are siblings that do not know each other.
 */
public final class ImagingBridge implements Imaging {
    private static final int DEFAULT_JPEG_QUALITY = 90;

    private final LosslessTranscoding transcoding;

    public ImagingBridge(LosslessTranscoding transcoding) {
        this.transcoding = transcoding;
    }

    @Override
    public boolean canTranscode(String from, String to) {
        return transcoding.canTranscode(from, to);
    }

    @Override
    public void transcode(InputStream part10, String to, OutputStream out) throws IOException {
        DicomFile f = DicomReader.read(part10, ReadOptions.DEFAULT);
        DicomWriter.writeFile(out, transcoding.transcode(f.dataset(), f.transferSyntaxUid(), to), to);
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

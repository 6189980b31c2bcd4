package dev.steadfast.imaging.render;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.spi.ImageWriterSpi;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;

/** Writes rendered frames as JPEG or PNG and scales them to a viewport. */
public final class ImageEncoders {
    // Providers are looked up once instead of scanning the registry per image; writers are not
    // thread-safe, so each image still gets its own writer.
    private static final ImageWriterSpi JPEG = provider("jpeg");
    private static final ImageWriterSpi PNG = provider("png");

    private ImageEncoders() {}

    private static ImageWriterSpi provider(String format) {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName(format);
        if (!it.hasNext()) {
            return null;
        }
        ImageWriter w = it.next();
        ImageWriterSpi spi = w.getOriginatingProvider();
        w.dispose();
        return spi;
    }

    /** @param quality 1-100, used for JPEG only */
    public static void write(BufferedImage img, String mediaType, int quality, OutputStream out) throws IOException {
        ImageWriterSpi spi = switch (mediaType) {
            case "image/jpeg" -> JPEG;
            case "image/png" -> PNG;
            default -> throw new IllegalArgumentException("unsupported media type " + mediaType);
        };
        if (spi == JPEG && GreyJpegEncoder.accepts(img)) {
            GreyJpegEncoder.write(img, Math.max(1, Math.min(100, quality)), out); // the same pixels, in less time
            return;
        }
        if (spi == null) {
            throw new IOException("no ImageIO writer for " + mediaType);
        }
        ImageWriter w = spi.createWriterInstance();
        // ImageIO.createImageOutputStream would cache through a temporary file (ImageIO's useCache
        // default): a file created, written and deleted per image was most of the encode time.
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            w.setOutput(ios);
            ImageWriteParam p = w.getDefaultWriteParam();
            if (spi == JPEG) {
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionQuality(Math.max(1, Math.min(100, quality)) / 100f);
            }
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
    }

    /** Fits the image into width x height keeping its aspect ratio; 0 leaves that side free. */
    public static BufferedImage fit(BufferedImage img, int width, int height) {
        if (width <= 0 && height <= 0) {
            return img;
        }
        double sx = width > 0 ? width / (double) img.getWidth() : Double.MAX_VALUE;
        double sy = height > 0 ? height / (double) img.getHeight() : Double.MAX_VALUE;
        double s = Math.min(sx, sy);
        int w = Math.max(1, (int) Math.round(img.getWidth() * s));
        int h = Math.max(1, (int) Math.round(img.getHeight() * s));
        if (w == img.getWidth() && h == img.getHeight()) {
            return img;
        }
        BufferedImage cur = img;
        // Halve in steps when shrinking a lot, so bilinear sampling does not alias (thumbnails).
        while (cur.getWidth() / 2 >= w && cur.getHeight() / 2 >= h) {
            cur = cur.getType() == BufferedImage.TYPE_BYTE_GRAY ? halveGrey(cur) : scale(cur, cur.getWidth() / 2, cur.getHeight() / 2);
        }
        return cur.getWidth() == w && cur.getHeight() == h ? cur : scale(cur, w, h);
    }

    /**
     * Half the size, each pixel the rounded mean of its 2x2 source pixels: what bilinear sampling at
     * exactly half the size computes (it samples midway between them), without Java2D's general
     * transform path, which was most of a grey thumbnail's render time (issue 19).
     */
    static BufferedImage halveGrey(BufferedImage src) {
        int w = src.getWidth() / 2;
        int h = src.getHeight() / 2;
        java.awt.image.WritableRaster r = src.getRaster();
        if (r.getParent() != null || r.getSampleModelTranslateX() != 0 || r.getSampleModelTranslateY() != 0
                || r.getDataBuffer().getOffset() != 0
                || !(r.getSampleModel() instanceof java.awt.image.ComponentSampleModel c) || c.getPixelStride() != 1) {
            return scale(src, w, h); // a sub-image or unusual layout: the general path
        }
        int stride = c.getScanlineStride();
        byte[] in = ((java.awt.image.DataBufferByte) r.getDataBuffer()).getData();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] o = ((java.awt.image.DataBufferByte) out.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < h; y++) {
            int r0 = 2 * y * stride;
            int r1 = r0 + stride;
            int d = y * w;
            for (int x = 0; x < w; x++) {
                int a = 2 * x;
                int sum = (in[r0 + a] & 0xFF) + (in[r0 + a + 1] & 0xFF) + (in[r1 + a] & 0xFF) + (in[r1 + a + 1] & 0xFF);
                o[d + x] = (byte) ((sum + 2) >> 2);
            }
        }
        return out;
    }

    public static BufferedImage thumbnail(BufferedImage img, int size) {
        return fit(img, size, size);
    }

    private static BufferedImage scale(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, src.getType() == BufferedImage.TYPE_BYTE_GRAY
                ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}

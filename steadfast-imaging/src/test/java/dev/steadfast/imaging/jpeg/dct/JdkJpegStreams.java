package dev.steadfast.imaging.jpeg.dct;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;

/** 8-bit baseline streams written by the JDK's JPEG writer (IJG 6b) with chosen sampling and restart interval, and its reader's raw samples. */
final class JdkJpegStreams {
    private static final String NATIVE = "javax_imageio_jpeg_image_1.0";

    private JdkJpegStreams() {}

    /** A smooth gradient with noise: exercises both DC prediction and AC coding. */
    static BufferedImage image(int width, int height, boolean colour, long seed) {
        BufferedImage img = new BufferedImage(width, height, colour ? BufferedImage.TYPE_3BYTE_BGR : BufferedImage.TYPE_BYTE_GRAY);
        Random r = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int red = (x * 255 / Math.max(1, width - 1) + r.nextInt(40)) & 0xFF;
                int green = (y * 255 / Math.max(1, height - 1) + r.nextInt(20)) & 0xFF;
                int blue = ((x ^ y) * 8 + r.nextInt(60)) & 0xFF;
                img.setRGB(x, y, red << 16 | green << 8 | blue);
            }
        }
        return img;
    }

    /**
     * Encodes with luma sampling {@code h}x{@code v} (chroma 1x1) and a DRI of {@code restart}
     * MCUs (0 for none).
     */
    static byte[] encode(BufferedImage img, int h, int v, int restart, float quality) throws Exception {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            IIOMetadata md = w.getDefaultImageMetadata(new ImageTypeSpecifier(img), p);
            IIOMetadataNode root = (IIOMetadataNode) md.getAsTree(NATIVE);
            NodeList comps = root.getElementsByTagName("componentSpec");
            for (int i = 0; i < comps.getLength(); i++) {
                Element c = (Element) comps.item(i);
                c.setAttribute("HsamplingFactor", String.valueOf(i == 0 ? h : 1));
                c.setAttribute("VsamplingFactor", String.valueOf(i == 0 ? v : 1));
            }
            if (restart > 0) {
                IIOMetadataNode markers = (IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0);
                IIOMetadataNode dri = new IIOMetadataNode("dri");
                dri.setAttribute("interval", String.valueOf(restart));
                markers.insertBefore(dri, markers.getFirstChild());
            }
            md.setFromTree(NATIVE, root);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                w.setOutput(out);
                w.write(null, new IIOImage(img, null, md), p);
            }
            return bytes.toByteArray();
        } finally {
            w.dispose();
        }
    }

    /** The JDK reader's samples without colour conversion, interleaved by pixel. */
    static int[] jdkRaster(byte[] jpeg) throws Exception {
        ImageReader r = ImageIO.getImageReadersByFormatName("jpeg").next();
        for (var it = ImageIO.getImageReadersByFormatName("jpeg"); it.hasNext(); ) {
            ImageReader c = it.next();
            if (c.getClass().getName().equals("com.sun.imageio.plugins.jpeg.JPEGImageReader")) {
                r = c;
            }
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            r.setInput(in);
            Raster raster = r.readRaster(0, null);
            return raster.getPixels(0, 0, raster.getWidth(), raster.getHeight(), (int[]) null);
        } finally {
            r.dispose();
        }
    }

    /** The first component's sampling factors byte (H << 4 | V) in the SOF0 header. */
    static int lumaSampling(byte[] b) {
        for (int i = 0; i + 11 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xC0) {
                return b[i + 11] & 0xFF;
            }
        }
        return -1;
    }

    static boolean hasMarker(byte[] b, int marker) {
        for (int i = 0; i + 1 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == marker) {
                return true;
            }
        }
        return false;
    }
}

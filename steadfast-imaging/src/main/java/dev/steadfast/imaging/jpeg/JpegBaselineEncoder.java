package dev.steadfast.imaging.jpeg;

import dev.steadfast.imaging.ImageDescriptor;
import dev.steadfast.imaging.PixelDataException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;

/** JPEG baseline (8-bit, Huffman, DCT) through the JDK writer; colour is written YCbCr 4:2:2 (YBR_FULL_422). */
final class JpegBaselineEncoder {
    private JpegBaselineEncoder() {}

    static byte[] encode(byte[] frame, ImageDescriptor d, int quality) throws IOException {
        BufferedImage img = new BufferedImage(d.columns(), d.rows(),
                d.samplesPerPixel() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        if (d.samplesPerPixel() == 1) {
            System.arraycopy(frame, 0, dst, 0, dst.length);
        } else {
            for (int i = 0; i < dst.length; i += 3) {
                dst[i] = frame[i + 2];
                dst[i + 1] = frame[i + 1];
                dst[i + 2] = frame[i];
            }
        }
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg");
        if (!it.hasNext()) {
            throw new PixelDataException("no JPEG writer");
        }
        ImageWriter w = it.next();
        try {
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality / 100f);
            IIOMetadata meta = w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), p);
            if (d.samplesPerPixel() == 3) {
                subsample422(meta);
            }
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bos)) {
                w.setOutput(out);
                w.write(null, new IIOImage(img, null, meta), p);
            }
            return bos.toByteArray();
        } finally {
            w.dispose();
        }
    }

    /** The JDK default is 4:2:0; DICOM's YBR_FULL_422 means horizontal-only subsampling. */
    private static void subsample422(IIOMetadata meta) throws IOException {
        String fmt = "javax_imageio_jpeg_image_1.0";
        Node root = meta.getAsTree(fmt);
        NodeList comps = ((Element) root).getElementsByTagName("componentSpec");
        for (int i = 0; i < comps.getLength(); i++) {
            Element c = (Element) comps.item(i);
            c.setAttribute("HsamplingFactor", i == 0 ? "2" : "1");
            c.setAttribute("VsamplingFactor", "1");
        }
        meta.setFromTree(fmt, root);
    }
}
